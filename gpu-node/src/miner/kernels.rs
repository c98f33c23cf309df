//! The compiled X16S steps and the buffers a batch of nonces runs in.
//!
//! Each of the 16 functions is a compute pipeline per [`Step`]; a batch runs the 16
//! pipelines of the header's order one after the other in one command buffer, over a
//! 64-byte state per nonce. Pipelines are compiled on first use and kept, so a new
//! order (a new previous block hash) costs at most the steps not yet compiled.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, mpsc},
};

use bytemuck::{Pod, Zeroable};
use gpunion_interface::mining::header::{HEADER_LEN, Header};
use wgpu::util::DeviceExt as _;
use x16s::{FUNCTIONS, Target};

use super::{
    MinerError,
    shader::{self, Step},
};
use crate::gpu::{Gpu, WordMode};

/// The workgroup size the miner runs with unless told otherwise: the fastest measured
/// on an NVIDIA H200 (58 MH/s at 256 against 53 at 128 and 35 at 64; `gpu-node/README.md`),
/// where a workgroup's 32 KiB of banked tables are filled once for more nonces.
const DEFAULT_WORKGROUP_SIZE: u32 = 256;

/// How many found nonces one batch reports at most (more are counted, not listed).
pub const FOUND_CAPACITY: u32 = 64;

/// The uniform block of `kernel.wgsl` (`Params`).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Params {
    header: [u32; HEADER_LEN / 4],
    target: [u32; 8],
    nonce_base: u32,
    count: u32,
    found_capacity: u32,
    reserved: u32,
}

/// What the first step of a run hashes.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// `count` nonces from `nonce_base` (wrapping) put into the header's nonce.
    Header {
        /// The header; its nonce is replaced.
        header: &'a Header,
        /// The first nonce.
        nonce_base: u32,
        /// How many nonces.
        count: u32,
    },
    /// 64-byte states, one per invocation (a middle step on given data).
    States(&'a [[u8; 64]]),
    /// The first `count` states already in the batch buffer (a previous run's): a
    /// middle step run for its time alone, with nothing copied in or out.
    Resident {
        /// How many states.
        count: u32,
    },
}

impl Input<'_> {
    fn count(&self) -> u32 {
        match self {
            Self::Header { count, .. } | Self::Resident { count } => *count,
            Self::States(states) => states.len().try_into().unwrap_or(u32::MAX),
        }
    }
}

/// The nonces of one batch whose X16S hash met the target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// How many met it (may exceed `nonces.len()`, which is capped at [`FOUND_CAPACITY`]).
    pub count: u32,
    /// The nonces, in no particular order.
    pub nonces: Vec<u32>,
}

/// The buffers of one batch size, reused from batch to batch.
struct Buffers {
    capacity: u32,
    params: wgpu::Buffer,
    states: wgpu::Buffer,
    found: wgpu::Buffer,
    /// Made on the first run that reads states back (tests, benchmarks), not for mining.
    states_readback: Option<wgpu::Buffer>,
    found_readback: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
}

/// The X16S step pipelines of one adapter and word mode.
pub struct Kernels {
    gpu: Arc<Gpu>,
    mode: WordMode,
    workgroup_size: u32,
    bind_group_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    pipelines: Mutex<HashMap<(usize, Step), Arc<wgpu::ComputePipeline>>>,
    buffers: Mutex<Option<Buffers>>,
}

impl std::fmt::Debug for Kernels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernels")
            .field("gpu", &self.gpu)
            .field("mode", &self.mode)
            .field("workgroup_size", &self.workgroup_size)
            .finish_non_exhaustive()
    }
}

fn storage_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only: false },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Kernels {
    /// Kernels for `gpu` in word `mode`, with workgroups of `workgroup_size` invocations.
    pub fn new(gpu: Arc<Gpu>, mode: WordMode, workgroup_size: u32) -> Result<Self, MinerError> {
        if !gpu.word_modes().contains(&mode) {
            return Err(MinerError::UnsupportedMode {
                mode,
                adapter: gpu.describe(),
            });
        }
        let max = gpu.limits().max_compute_invocations_per_workgroup;
        if workgroup_size == 0 || workgroup_size > max {
            return Err(MinerError::WorkgroupSize {
                requested: workgroup_size,
                max,
            });
        }
        let bind_group_layout =
            gpu.device
                .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                    label: Some("x16s"),
                    entries: &[
                        wgpu::BindGroupLayoutEntry {
                            binding: 0,
                            visibility: wgpu::ShaderStages::COMPUTE,
                            ty: wgpu::BindingType::Buffer {
                                ty: wgpu::BufferBindingType::Uniform,
                                has_dynamic_offset: false,
                                min_binding_size: None,
                            },
                            count: None,
                        },
                        storage_entry(1),
                        storage_entry(2),
                    ],
                });
        let pipeline_layout = gpu
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("x16s"),
                bind_group_layouts: &[Some(&bind_group_layout)],
                immediate_size: 0,
            });
        Ok(Self {
            gpu,
            mode,
            workgroup_size,
            bind_group_layout,
            pipeline_layout,
            pipelines: Mutex::new(HashMap::new()),
            buffers: Mutex::new(None),
        })
    }

    /// The word mode the 64-bit functions run in.
    pub fn mode(&self) -> WordMode {
        self.mode
    }

    /// The kernels the node mines with: the adapter's fastest word mode, the default
    /// workgroup size.
    pub fn for_mining(gpu: Arc<Gpu>) -> Result<Self, MinerError> {
        let (mode, workgroup_size) = (gpu.word_modes()[0], Self::default_workgroup_size(&gpu));
        Self::new(gpu, mode, workgroup_size)
    }

    /// The miner's workgroup size: 256, or the adapter's largest workgroup where that is less.
    pub fn default_workgroup_size(gpu: &Gpu) -> u32 {
        DEFAULT_WORKGROUP_SIZE.min(gpu.limits().max_compute_invocations_per_workgroup)
    }

    /// Invocations per workgroup.
    pub fn workgroup_size(&self) -> u32 {
        self.workgroup_size
    }

    /// The adapter these kernels run on.
    pub fn gpu(&self) -> &Arc<Gpu> {
        &self.gpu
    }

    /// The most nonces one batch can hold on this adapter.
    pub fn max_batch(&self) -> u32 {
        let limits = self.gpu.limits();
        // Beyond 2^24 nonces (1 GiB of states) a batch gains nothing but pause latency.
        let by_storage = (limits.max_storage_buffer_binding_size / 64).min(1 << 24);
        let by_dispatch =
            u64::from(limits.max_compute_workgroups_per_dimension) * u64::from(self.workgroup_size);
        by_storage.min(by_dispatch).min(u64::from(u32::MAX)) as u32
    }

    /// Compiles (once) the pipelines the chain of `header` needs: its order's first
    /// function as [`Step::First`], the last as [`Step::Last`], the rest as middles.
    pub fn prepare(&self, header: &Header) -> Result<(), MinerError> {
        for (function, step) in chain_steps(header, Step::Last) {
            self.pipeline(function, step)?;
        }
        Ok(())
    }

    /// The pipeline of `function` (an index into [`x16s::FUNCTIONS`]) at `step`,
    /// compiled on first use.
    fn pipeline(
        &self,
        function: usize,
        step: Step,
    ) -> Result<Arc<wgpu::ComputePipeline>, MinerError> {
        let cached = self
            .pipelines
            .lock()
            .expect("pipeline cache lock")
            .get(&(function, step))
            .cloned();
        if let Some(pipeline) = cached {
            return Ok(pipeline);
        }
        // Compiled without holding the cache lock, so that threads compile different
        // steps at once (two threads racing for the same step both compile it once).
        let name = FUNCTIONS[function].name;
        let copies =
            shader::TableCopies::fitting(self.gpu.limits().max_compute_workgroup_storage_size);
        let source = shader::module(name, step, self.mode, self.workgroup_size, copies)?;
        let device = &self.gpu.device;
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let descriptor = wgpu::ShaderModuleDescriptor {
            label: Some(name),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        };
        // SAFETY: these are this crate's own X16S kernels, not a customer's code. Every
        // index they take is in bounds by construction (message words below 20, state
        // words below 16, table indices masked to the table's size, a nonce's state
        // below `count`, which `record` keeps within the buffer) and every loop has a
        // constant trip count; `tests/shaders.rs` checks each kernel bit for bit
        // against the CPU reference. Without wgpu's run-time checks (a clamp on every
        // dynamic index, a 64-bit counter in every loop), the driver can unroll the
        // rounds and keep the state in registers: see `gpu-node/README.md`.
        let module = unsafe {
            device.create_shader_module_trusted(descriptor, wgpu::ShaderRuntimeChecks::unchecked())
        };
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(name),
            layout: Some(&self.pipeline_layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        if let Some(error) = pollster::block_on(scope.pop()) {
            return Err(MinerError::Shader {
                function: name,
                step,
                mode: self.mode,
                message: error.to_string(),
            });
        }
        let pipeline = Arc::new(pipeline);
        self.pipelines
            .lock()
            .expect("pipeline cache lock")
            .insert((function, step), pipeline.clone());
        Ok(pipeline)
    }

    /// The 64-byte digests of `function` alone on `input`, one per nonce or state.
    pub fn step_digests(
        &self,
        function: usize,
        input: Input<'_>,
    ) -> Result<Vec<[u8; 64]>, MinerError> {
        let step = match input {
            Input::Header { .. } => Step::First,
            Input::States(_) | Input::Resident { .. } => Step::Middle,
        };
        self.digests(&[(function, step)], input)
    }

    /// The 64-byte digest of the last function of the full X16S chain for each nonce
    /// (its first 32 bytes are the X16S hash).
    pub fn chain_digests(
        &self,
        header: &Header,
        nonce_base: u32,
        count: u32,
    ) -> Result<Vec<[u8; 64]>, MinerError> {
        let steps = chain_steps(header, Step::Middle);
        let input = Input::Header {
            header,
            nonce_base,
            count,
        };
        self.digests(&steps, input)
    }

    /// Runs the full chain for `count` nonces from `nonce_base` and returns those
    /// whose hash meets `target` (unchecked: the caller verifies them on the CPU).
    pub fn search(
        &self,
        header: &Header,
        target: &Target,
        nonce_base: u32,
        count: u32,
    ) -> Result<Found, MinerError> {
        let steps = chain_steps(header, Step::Last);
        let input = Input::Header {
            header,
            nonce_base,
            count,
        };
        let mut buffers = self.buffers.lock().expect("buffer lock");
        let (buffers, mut encoder) = self.record(&mut buffers, &steps, input, Some(target))?;
        let found_bytes = u64::from(FOUND_CAPACITY + 1) * 4;
        encoder.copy_buffer_to_buffer(&buffers.found, 0, &buffers.found_readback, 0, found_bytes);
        self.gpu.queue.submit([encoder.finish()]);
        let bytes = self.read(&buffers.found_readback, found_bytes)?;
        let words: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")))
            .collect();
        let listed = words[0].min(FOUND_CAPACITY) as usize;
        Ok(Found {
            count: words[0],
            nonces: words[1..=listed].to_vec(),
        })
    }

    /// The time the GPU takes to run `function` as a middle step `repeats` times over
    /// `count` states, all in one command buffer. The states are first the function's
    /// own digests of `count` nonces of `header` (realistic, varied input: table
    /// look-ups at equal indices would hide bank conflicts); compiling the pipelines and
    /// making the buffers happen before the clock starts.
    pub fn time_step(
        &self,
        function: usize,
        header: &Header,
        count: u32,
        repeats: usize,
    ) -> Result<std::time::Duration, MinerError> {
        let mut buffers = self.buffers.lock().expect("buffer lock");
        let nonces = Input::Header {
            header,
            nonce_base: 0,
            count,
        };
        let steps = [(function, Step::First), (function, Step::Middle)];
        let (_, encoder) = self.record(&mut buffers, &steps, nonces, None)?;
        self.gpu.queue.submit([encoder.finish()]);
        self.wait()?;
        let steps = vec![(function, Step::Middle); repeats.max(1)];
        let (_, encoder) = self.record(&mut buffers, &steps, Input::Resident { count }, None)?;
        let started = std::time::Instant::now();
        self.gpu.queue.submit([encoder.finish()]);
        self.wait()?;
        Ok(started.elapsed())
    }

    /// Waits until the GPU has finished everything submitted.
    fn wait(&self) -> Result<(), MinerError> {
        self.gpu
            .device
            .poll(wgpu::PollType::wait_indefinitely())
            .map(drop)
            .map_err(|e| MinerError::Device(e.to_string()))
    }

    /// Runs `steps` over `input` and reads back every invocation's 64-byte state.
    fn digests(
        &self,
        steps: &[(usize, Step)],
        input: Input<'_>,
    ) -> Result<Vec<[u8; 64]>, MinerError> {
        let mut buffers = self.buffers.lock().expect("buffer lock");
        let (buffers, mut encoder) = self.record(&mut buffers, steps, input, None)?;
        let readback = buffers.states_readback.get_or_insert_with(|| {
            self.gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("x16s states readback"),
                size: u64::from(buffers.capacity) * 64,
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        });
        let states_bytes = u64::from(input.count()) * 64;
        encoder.copy_buffer_to_buffer(&buffers.states, 0, readback, 0, states_bytes);
        self.gpu.queue.submit([encoder.finish()]);
        let bytes = self.read(readback, states_bytes)?;
        Ok(bytes
            .chunks_exact(64)
            .map(|s| s.try_into().expect("64 bytes"))
            .collect())
    }

    /// Checks the batch size, compiles the `steps`' pipelines, makes the buffers big
    /// enough, writes the parameters (and the input states) and records the steps'
    /// dispatches in one command encoder, which the caller ends with its read-back copy.
    fn record<'b>(
        &self,
        buffers: &'b mut Option<Buffers>,
        steps: &[(usize, Step)],
        input: Input<'_>,
        target: Option<&Target>,
    ) -> Result<(&'b mut Buffers, wgpu::CommandEncoder), MinerError> {
        let count = input.count();
        let max = self.max_batch();
        if count == 0 || count > max {
            return Err(MinerError::BatchSize {
                requested: count,
                max,
            });
        }
        let pipelines = steps
            .iter()
            .map(|&(function, step)| self.pipeline(function, step))
            .collect::<Result<Vec<_>, _>>()?;
        if buffers.as_ref().is_none_or(|b| b.capacity < count) {
            *buffers = Some(self.buffers(count.max(self.workgroup_size)));
        }
        let buffers = buffers.as_mut().expect("buffers were just made");
        let queue = &self.gpu.queue;

        let mut params = Params {
            header: [0; HEADER_LEN / 4],
            target: [0; 8],
            nonce_base: 0,
            count,
            found_capacity: FOUND_CAPACITY,
            reserved: 0,
        };
        match input {
            Input::Header {
                header, nonce_base, ..
            } => {
                params.header = words(&header.encode());
                params.nonce_base = nonce_base;
            }
            Input::States(states) => {
                queue.write_buffer(&buffers.states, 0, states.as_flattened());
            }
            Input::Resident { .. } => {}
        }
        if let Some(target) = target {
            params.target = words(&target.to_le_bytes());
        }
        queue.write_buffer(&buffers.params, 0, bytemuck::bytes_of(&params));

        let mut encoder = self.gpu.device.create_command_encoder(&Default::default());
        encoder.clear_buffer(&buffers.found, 0, None);
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_bind_group(0, &buffers.bind_group, &[]);
            for pipeline in &pipelines {
                pass.set_pipeline(pipeline);
                pass.dispatch_workgroups(count.div_ceil(self.workgroup_size), 1, 1);
            }
        }
        Ok((buffers, encoder))
    }

    /// Maps the first `len` bytes of a readback buffer, waits, copies them out.
    fn read(&self, buffer: &wgpu::Buffer, len: u64) -> Result<Vec<u8>, MinerError> {
        let slice = buffer.slice(..len);
        let (sender, receiver) = mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            // The receiver waits below; it cannot be gone.
            let _ = sender.send(result);
        });
        self.wait()?;
        receiver
            .recv()
            .map_err(|e| MinerError::Device(e.to_string()))?
            .map_err(|e| MinerError::Device(e.to_string()))?;
        let bytes = slice
            .get_mapped_range()
            .map_err(|e| MinerError::Device(e.to_string()))?
            .to_vec();
        buffer.unmap();
        Ok(bytes)
    }

    fn buffers(&self, capacity: u32) -> Buffers {
        let device = &self.gpu.device;
        let params = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("x16s params"),
            contents: bytemuck::bytes_of(&Params::zeroed()),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        let buffer = |label, size, usage| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        let states_size = u64::from(capacity) * 64;
        let found_size = u64::from(FOUND_CAPACITY + 1) * 4;
        let storage = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST;
        let readback = wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST;
        let states = buffer("x16s states", states_size, storage);
        let found = buffer("x16s found", found_size, storage);
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("x16s"),
            layout: &self.bind_group_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: params.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: states.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: found.as_entire_binding(),
                },
            ],
        });
        Buffers {
            capacity,
            params,
            states_readback: None,
            found_readback: buffer("x16s found readback", found_size, readback),
            states,
            found,
            bind_group,
        }
    }
}

/// The 16 steps of `header`'s chain, the last one as `last`.
fn chain_steps(header: &Header, last: Step) -> Vec<(usize, Step)> {
    header
        .order()
        .iter()
        .enumerate()
        .map(|(position, &function)| {
            let step = match position {
                0 => Step::First,
                15 => last,
                _ => Step::Middle,
            };
            (usize::from(function), step)
        })
        .collect()
}

/// Little-endian 32-bit words of `bytes` (a multiple of 4 long).
fn words<const N: usize>(bytes: &[u8]) -> [u32; N] {
    core::array::from_fn(|i| {
        u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().expect("4 bytes"))
    })
}
