//! One job in this process: the bundle loaded and checked, then run on a [`Gpu`].
//!
//! Nothing here guards against a job that never ends or eats all memory: that is
//! [`isolate`](super::isolate)'s work, which runs this in a child process.

use std::{
    collections::BTreeMap,
    path::Path,
    sync::mpsc,
    time::{Duration, Instant},
};

use gpunion_interface::job::{
    Allowance, BufferUsage, Dispatch, FailureKind, HexBinary, JobFailure, JobOutcome, JobReport,
    JobTimings, bundle::Bundle, output_hash,
};
use gpunion_interface::trace::Trace;

use super::{
    ExecError,
    result::{JobLog, save_outputs, save_trace, write_report},
};
use crate::gpu::Gpu;

/// The outputs of a job that ran, in the manifest's output order, its trace if it is
/// deterministic, and how long the GPU phases took.
#[derive(Debug)]
pub struct Executed {
    /// Each output buffer's bytes (none for a run stopped early).
    pub outputs: Vec<Vec<u8>>,
    /// A deterministic job's state after each dispatch run.
    pub trace: Option<Trace>,
    /// Creating the buffers, shader modules, pipelines and bind groups.
    pub compile: Duration,
    /// The dispatches, from submission to completion.
    pub compute: Duration,
    /// Copying the outputs back to the host.
    pub readback: Duration,
}

/// Runs the bundle in `bundle_dir` on `gpu`, here, and writes the result folder in
/// `out_dir` (`until`: see [`JobRequest::until`](super::JobRequest::until)). Every
/// problem of the job is a failed report; only a result folder that cannot be written
/// is an error.
pub fn run_in_process(
    gpu: &Gpu,
    bundle_dir: &Path,
    out_dir: &Path,
    allowance: &Allowance,
    until: Option<u64>,
) -> Result<JobReport, ExecError> {
    run_job(bundle_dir, out_dir, allowance, until, |_| Ok(gpu))
}

/// [`run_in_process`] with the GPU opened by `open` after the bundle has been checked
/// (so that a bad bundle is reported without touching the GPU).
pub(crate) fn run_job<G: std::borrow::Borrow<Gpu>>(
    bundle_dir: &Path,
    out_dir: &Path,
    allowance: &Allowance,
    until: Option<u64>,
    open: impl FnOnce(&mut JobLog) -> Result<G, JobFailure>,
) -> Result<JobReport, ExecError> {
    let mut log = JobLog::new();
    let mut timings = JobTimings::default();
    let job = Job {
        bundle_dir,
        out_dir,
        allowance,
        until,
    };
    let report = match attempt(&job, open, &mut log, &mut timings)? {
        Ok(report) => report,
        Err(failure) => {
            log.note(format_args!(
                "failed ({:?}): {}",
                failure.kind, failure.message
            ));
            timings.total_ms = millis(log.start().elapsed());
            JobReport::failed(failure, timings)
        }
    };
    write_report(out_dir, &report, &log)?;
    Ok(report)
}

/// One run's inputs.
struct Job<'a> {
    bundle_dir: &'a Path,
    out_dir: &'a Path,
    allowance: &'a Allowance,
    until: Option<u64>,
}

/// The job's report, or its failure; `Err` only for a result folder not written.
fn attempt<G: std::borrow::Borrow<Gpu>>(
    job: &Job,
    open: impl FnOnce(&mut JobLog) -> Result<G, JobFailure>,
    log: &mut JobLog,
    timings: &mut JobTimings,
) -> Result<Result<JobReport, JobFailure>, ExecError> {
    let out_dir = job.out_dir;
    log.note(format_args!(
        "loading the bundle {}",
        job.bundle_dir.display()
    ));
    let started = Instant::now();
    let bundle = match Bundle::load(job.bundle_dir, job.allowance) {
        Ok(bundle) => bundle,
        Err(error) => return Ok(Err(error.failure())),
    };
    if job.until.is_some() && !bundle.manifest().deterministic {
        return Ok(Err(JobFailure {
            kind: FailureKind::Manifest,
            field: Some("deterministic".into()),
            message: "only a deterministic job can be run part of the way (its trace \
                      is what a partial run is for)"
                .into(),
        }));
    }
    timings.validate_ms = millis(started.elapsed());
    let manifest = bundle.manifest();
    log.note(format_args!(
        "bundle {:?} checked: {} shader(s), {} buffer(s), {} dispatch(es), {} output(s)",
        manifest.name,
        manifest.shaders.len(),
        manifest.buffers.len(),
        manifest.dispatches.len(),
        manifest.outputs.len()
    ));
    let gpu = match open(log) {
        Ok(gpu) => gpu,
        Err(failure) => return Ok(Err(failure)),
    };
    let gpu = gpu.borrow();
    log.note(format_args!("adapter: {}", gpu.describe()));
    let executed = match execute(gpu, &bundle, log, job.until) {
        Ok(executed) => executed,
        Err(failure) => return Ok(Err(failure)),
    };
    timings.compile_ms = millis(executed.compile);
    timings.compute_ms = millis(executed.compute);
    let trace_root = match &executed.trace {
        Some(trace) => {
            save_trace(out_dir, trace)?;
            let root = trace
                .root_binary()
                .expect("the executor's states are hashes");
            log.note(format_args!(
                "trace of {} dispatch(es) saved; root {root}",
                trace.states.len(),
            ));
            Some(root)
        }
        None => None,
    };
    if job.until.is_some() {
        timings.total_ms = millis(log.start().elapsed());
        return Ok(Ok(JobReport {
            outcome: JobOutcome::Succeeded,
            timings: *timings,
            output_hash: None,
            trace_root,
            outputs: vec![],
            container: None,
        }));
    }
    let saving = Instant::now();
    let outputs = save_outputs(out_dir, manifest, &executed.outputs)?;
    timings.readback_ms = millis(executed.readback + saving.elapsed());
    let hash = output_hash(
        manifest
            .outputs
            .iter()
            .zip(&executed.outputs)
            .map(|(o, data)| (o.buffer.as_str(), data.as_slice())),
    );
    for file in &outputs {
        log.note(format_args!(
            "saved {} ({} bytes) from buffer {}",
            file.file, file.bytes, file.buffer
        ));
    }
    log.note(format_args!("succeeded; output hash {}", hex::encode(hash)));
    timings.total_ms = millis(log.start().elapsed());
    Ok(Ok(JobReport {
        outcome: JobOutcome::Succeeded,
        timings: *timings,
        output_hash: Some(HexBinary::from(hash.to_vec())),
        trace_root,
        outputs,
        container: None,
    }))
}

fn millis(duration: Duration) -> u64 {
    duration.as_millis().try_into().unwrap_or(u64::MAX)
}

/// Runs `f` inside wgpu error scopes and turns what they caught into a failure:
/// out of memory as [`FailureKind::OutOfMemory`], an internal error as
/// [`FailureKind::Device`], a validation error as `validation` (what it means
/// depends on the step).
fn scoped<T>(
    gpu: &Gpu,
    step: &str,
    validation: FailureKind,
    f: impl FnOnce() -> T,
) -> Result<T, JobFailure> {
    let device = &gpu.device;
    let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
    let memory = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
    let invalid = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let value = f();
    let errors = [
        (pollster::block_on(invalid.pop()), validation),
        (pollster::block_on(memory.pop()), FailureKind::OutOfMemory),
        (pollster::block_on(internal.pop()), FailureKind::Device),
    ];
    for (error, kind) in errors {
        if let Some(error) = error {
            return Err(JobFailure {
                kind,
                field: None,
                message: format!("{step}: {}", describe(&error)),
            });
        }
    }
    Ok(value)
}

/// wgpu's error with its description (its `Display` says only "Validation Error").
fn describe(error: &wgpu::Error) -> String {
    match error {
        wgpu::Error::Validation { description, .. } | wgpu::Error::Internal { description, .. } => {
            description.trim().to_owned()
        }
        wgpu::Error::OutOfMemory { source } => format!("out of memory ({source})"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// `Err(OverAllowance)` naming the first buffer larger than the device can bind.
fn check_device_limits(gpu: &Gpu, bundle: &Bundle) -> Result<(), JobFailure> {
    let limits = gpu.limits();
    for (i, spec) in bundle.manifest().buffers.iter().enumerate() {
        let (limit, what) = match spec.usage {
            BufferUsage::Uniform => (
                limits.max_uniform_buffer_binding_size,
                "uniform buffer binding",
            ),
            BufferUsage::StorageRead | BufferUsage::StorageReadWrite => (
                limits.max_storage_buffer_binding_size,
                "storage buffer binding",
            ),
        };
        let limit = limit.min(limits.max_buffer_size);
        if spec.size > limit {
            return Err(JobFailure {
                kind: FailureKind::OverAllowance,
                field: Some(format!("buffers[{i}].size")),
                message: format!(
                    "buffers[{i}].size: {} bytes is over this device's largest {what}, {limit} bytes",
                    spec.size
                ),
            });
        }
    }
    Ok(())
}

/// Runs `bundle` on `gpu`: buffers (initial contents or zeros), one bind group per
/// group, a pipeline per dispatched entry point, the dispatches in order in one
/// compute pass, then the outputs copied back. A deterministic job runs one dispatch
/// at a time instead, hashing its read-write storage buffers after each (its trace),
/// and with `until` stops after that dispatch, reading no outputs.
pub fn execute(
    gpu: &Gpu,
    bundle: &Bundle,
    log: &mut JobLog,
    until: Option<u64>,
) -> Result<Executed, JobFailure> {
    let device = &gpu.device;
    let manifest = bundle.manifest();
    let started = Instant::now();
    check_device_limits(gpu, bundle)?;

    let buffers = scoped(gpu, "creating buffers", FailureKind::OverAllowance, || {
        manifest
            .buffers
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let usage = match spec.usage {
                    BufferUsage::Uniform => wgpu::BufferUsages::UNIFORM,
                    BufferUsage::StorageRead | BufferUsage::StorageReadWrite => {
                        wgpu::BufferUsages::STORAGE
                    }
                } | wgpu::BufferUsages::COPY_SRC;
                let initial = bundle.initial(i);
                let buffer = device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(&spec.name),
                    size: spec.size,
                    usage,
                    mapped_at_creation: initial.is_some(),
                });
                // wgpu hands out zeroed buffers; only file contents need copying.
                if let Some(bytes) = initial {
                    if let Ok(mut view) = buffer.slice(..).get_mapped_range_mut() {
                        view.copy_from_slice(bytes);
                    }
                    buffer.unmap();
                }
                buffer
            })
            .collect::<Vec<_>>()
    })?;
    let total: u64 = manifest.buffers.iter().map(|b| b.size).sum();
    log.note(format_args!(
        "{} buffer(s) created, {total} bytes",
        buffers.len()
    ));

    // One layout per group the manifest uses; a gap is `None`.
    let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, spec) in manifest.buffers.iter().enumerate() {
        groups.entry(spec.group).or_default().push(i);
    }
    let (pipeline_layout, bind_groups) =
        scoped(gpu, "binding buffers", FailureKind::Binding, || {
            let layouts: BTreeMap<u32, wgpu::BindGroupLayout> = groups
                .iter()
                .map(|(&group, members)| {
                    let entries: Vec<_> = members
                        .iter()
                        .map(|&i| {
                            let spec = &manifest.buffers[i];
                            wgpu::BindGroupLayoutEntry {
                                binding: spec.binding,
                                visibility: wgpu::ShaderStages::COMPUTE,
                                ty: wgpu::BindingType::Buffer {
                                    ty: match spec.usage {
                                        BufferUsage::Uniform => wgpu::BufferBindingType::Uniform,
                                        BufferUsage::StorageRead => {
                                            wgpu::BufferBindingType::Storage { read_only: true }
                                        }
                                        BufferUsage::StorageReadWrite => {
                                            wgpu::BufferBindingType::Storage { read_only: false }
                                        }
                                    },
                                    has_dynamic_offset: false,
                                    min_binding_size: None,
                                },
                                count: None,
                            }
                        })
                        .collect();
                    let layout =
                        device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                            label: Some("job"),
                            entries: &entries,
                        });
                    (group, layout)
                })
                .collect();
            let last = groups.keys().next_back().copied().unwrap_or(0);
            let slots: Vec<Option<&wgpu::BindGroupLayout>> =
                (0..=last).map(|g| layouts.get(&g)).collect();
            let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("job"),
                bind_group_layouts: &slots,
                immediate_size: 0,
            });
            let bind_groups: Vec<(u32, wgpu::BindGroup)> = groups
                .iter()
                .map(|(&group, members)| {
                    let entries: Vec<_> = members
                        .iter()
                        .map(|&i| wgpu::BindGroupEntry {
                            binding: manifest.buffers[i].binding,
                            resource: buffers[i].as_entire_binding(),
                        })
                        .collect();
                    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                        label: Some("job"),
                        layout: &layouts[&group],
                        entries: &entries,
                    });
                    (group, bind_group)
                })
                .collect();
            (pipeline_layout, bind_groups)
        })?;
    let pipelines = scoped(gpu, "compiling pipelines", FailureKind::Shader, || {
        let modules: BTreeMap<&str, wgpu::ShaderModule> = bundle
            .shaders()
            .iter()
            .map(|shader| {
                let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some(&shader.file),
                    source: wgpu::ShaderSource::Wgsl(shader.source.as_str().into()),
                });
                (shader.file.as_str(), module)
            })
            .collect();
        let mut pipelines: BTreeMap<(&str, &str), wgpu::ComputePipeline> = BTreeMap::new();
        for dispatch in &manifest.dispatches {
            let key = (dispatch.shader.as_str(), dispatch.entry_point.as_str());
            pipelines.entry(key).or_insert_with(|| {
                device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(&dispatch.entry_point),
                    layout: Some(&pipeline_layout),
                    module: &modules[key.0],
                    entry_point: Some(&dispatch.entry_point),
                    compilation_options: Default::default(),
                    cache: None,
                })
            });
        }
        pipelines
    })?;
    let compile = started.elapsed();
    log.note(format_args!(
        "{} pipeline(s) compiled in {:.3} s",
        pipelines.len(),
        compile.as_secs_f64()
    ));

    let started = Instant::now();
    let run = |dispatches: &[Dispatch]| {
        scoped(gpu, "dispatching", FailureKind::Binding, || {
            let mut encoder = device.create_command_encoder(&Default::default());
            {
                let mut pass = encoder.begin_compute_pass(&Default::default());
                for (group, bind_group) in &bind_groups {
                    pass.set_bind_group(*group, bind_group, &[]);
                }
                for dispatch in dispatches {
                    let key = (dispatch.shader.as_str(), dispatch.entry_point.as_str());
                    pass.set_pipeline(&pipelines[&key]);
                    let [x, y, z] = dispatch.workgroups;
                    pass.dispatch_workgroups(x, y, z);
                }
            }
            gpu.queue.submit([encoder.finish()]);
        })?;
        wait(gpu)
    };
    let dispatches = &manifest.dispatches;
    let trace = if manifest.deterministic {
        let count = until.map_or(dispatches.len(), |last| {
            usize::try_from(last)
                .map_or(usize::MAX, |last| last.saturating_add(1))
                .min(dispatches.len())
        });
        let read_write: Vec<usize> = (0..manifest.buffers.len())
            .filter(|&i| manifest.buffers[i].usage == BufferUsage::StorageReadWrite)
            .collect();
        let mut states = Vec::with_capacity(count);
        for dispatch in &dispatches[..count] {
            run(std::slice::from_ref(dispatch))?;
            let data = read_back(gpu, bundle, &buffers, &read_write)?;
            states.push(output_hash(
                read_write
                    .iter()
                    .zip(&data)
                    .map(|(&i, d)| (manifest.buffers[i].name.as_str(), d.as_slice())),
            ));
        }
        Some(Trace::new(states))
    } else {
        run(dispatches)?;
        None
    };
    let compute = started.elapsed();
    let ran = trace.as_ref().map_or(dispatches.len(), |t| t.states.len());
    log.note(format_args!(
        "{ran} dispatch(es) ran in {:.3} s",
        compute.as_secs_f64()
    ));

    let started = Instant::now();
    let outputs = if until.is_some() {
        vec![]
    } else {
        let sources: Vec<usize> = manifest
            .outputs
            .iter()
            .map(|o| {
                manifest
                    .buffers
                    .iter()
                    .position(|b| b.name == o.buffer)
                    .expect("Manifest::check: outputs name buffers")
            })
            .collect();
        read_back(gpu, bundle, &buffers, &sources)?
    };
    Ok(Executed {
        outputs,
        trace,
        compile,
        compute,
        readback: started.elapsed(),
    })
}

/// Waits for everything submitted to finish.
fn wait(gpu: &Gpu) -> Result<(), JobFailure> {
    gpu.device
        .poll(wgpu::PollType::wait_indefinitely())
        .map(drop)
        .map_err(|e| JobFailure {
            kind: FailureKind::Device,
            field: None,
            message: format!("waiting for the GPU: {e}"),
        })
}

/// Copies each buffer of `sources` (indexes into the manifest's buffers) to a
/// mappable one and reads it.
fn read_back(
    gpu: &Gpu,
    bundle: &Bundle,
    buffers: &[wgpu::Buffer],
    sources: &[usize],
) -> Result<Vec<Vec<u8>>, JobFailure> {
    let manifest = bundle.manifest();
    let device = &gpu.device;
    let staging = scoped(
        gpu,
        "reading outputs back",
        FailureKind::OutOfMemory,
        || {
            let mut encoder = device.create_command_encoder(&Default::default());
            let staging: Vec<wgpu::Buffer> = sources
                .iter()
                .map(|&i| {
                    let size = manifest.buffers[i].size;
                    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
                        label: Some("job readback"),
                        size,
                        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                        mapped_at_creation: false,
                    });
                    encoder.copy_buffer_to_buffer(&buffers[i], 0, &buffer, 0, size);
                    buffer
                })
                .collect();
            gpu.queue.submit([encoder.finish()]);
            staging
        },
    )?;
    let (sender, receiver) = mpsc::channel();
    for (index, buffer) in staging.iter().enumerate() {
        let sender = sender.clone();
        buffer
            .slice(..)
            .map_async(wgpu::MapMode::Read, move |result| {
                // The receiver waits below; it cannot be gone.
                let _ = sender.send((index, result));
            });
    }
    drop(sender);
    wait(gpu)?;
    let device_error = |message: String| JobFailure {
        kind: FailureKind::Device,
        field: None,
        message,
    };
    for (index, result) in receiver {
        result.map_err(|e| device_error(format!("mapping output {index}: {e}")))?;
    }
    staging
        .iter()
        .map(|buffer| {
            let bytes = buffer
                .slice(..)
                .get_mapped_range()
                .map_err(|e| device_error(format!("reading an output: {e}")))?
                .to_vec();
            buffer.unmap();
            Ok(bytes)
        })
        .collect()
}
