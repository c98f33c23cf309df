//! The compute device: adapter choice and what it can do.

use std::fmt;

/// Why no usable compute device was found.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// wgpu found no adapter: no GPU driver, and no software Vulkan (Mesa's lavapipe,
    /// Debian package `mesa-vulkan-drivers`, which `scripts/bootstrap` installs).
    #[error(
        "no GPU adapter found ({0}); install a Vulkan driver, or Mesa's lavapipe (mesa-vulkan-drivers) for a software one"
    )]
    NoAdapter(#[from] wgpu::RequestAdapterError),
    /// The adapter refused a device with the features and limits asked for.
    #[error("the adapter {adapter} refused a device: {source}")]
    Device {
        /// The adapter's name.
        adapter: String,
        /// What wgpu said.
        source: wgpu::RequestDeviceError,
    },
}

/// How 64-bit words are represented in the shaders of the 64-bit hash functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordMode {
    /// Native `u64` (needs wgpu's `SHADER_INT64`).
    Native,
    /// Pairs of `u32`: runs on every adapter.
    Pair,
}

impl fmt::Display for WordMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Native => "u64",
            Self::Pair => "u32 pairs",
        })
    }
}

/// An adapter with its device and queue.
pub struct Gpu {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    info: wgpu::AdapterInfo,
    limits: wgpu::Limits,
    int64: bool,
}

impl fmt::Debug for Gpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gpu")
            .field("adapter", &self.info.name)
            .field("int64", &self.int64)
            .finish_non_exhaustive()
    }
}

impl Gpu {
    /// The high-performance adapter wgpu finds (a real GPU when one is present,
    /// otherwise a software one such as lavapipe), with `SHADER_INT64` when it has it.
    /// `WGPU_BACKEND` and `WGPU_ADAPTER_NAME` in the environment narrow the choice.
    pub fn new() -> Result<Self, GpuError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        }))?;
        let info = adapter.get_info();
        let int64 = adapter.features().contains(wgpu::Features::SHADER_INT64);
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("gpunion-miner"),
            required_features: if int64 {
                wgpu::Features::SHADER_INT64
            } else {
                wgpu::Features::empty()
            },
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|source| GpuError::Device {
            adapter: info.name.clone(),
            source,
        })?;
        Ok(Self {
            device,
            queue,
            info,
            limits,
            int64,
        })
    }

    /// The adapter's name, backend and type, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, Cpu)".
    pub fn describe(&self) -> String {
        format!(
            "{} ({:?}, {:?})",
            self.info.name, self.info.backend, self.info.device_type
        )
    }

    /// Whether the adapter is software rendering on the CPU (lavapipe and the like).
    pub fn is_software(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    /// The word modes this adapter can run, fastest first by default: native `u64`
    /// where supported, and always `u32` pairs.
    pub fn word_modes(&self) -> Vec<WordMode> {
        if self.int64 {
            vec![WordMode::Native, WordMode::Pair]
        } else {
            vec![WordMode::Pair]
        }
    }

    /// The adapter's name, e.g. "NVIDIA H200" or "llvmpipe (LLVM 15.0.6, 256 bits)".
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// The backend, e.g. "Vulkan".
    pub fn backend(&self) -> String {
        format!("{:?}", self.info.backend)
    }

    /// The optional features the device was created with, by wgpu's names.
    pub fn feature_names(&self) -> Vec<String> {
        self.device
            .features()
            .iter_names()
            .map(|(name, _)| name.to_string())
            .collect()
    }

    /// Memory one job may use on this device, MiB. wgpu does not report a device's
    /// memory; its largest buffer is the bound it does report.
    pub fn memory_mib(&self) -> u64 {
        self.limits.max_buffer_size >> 20
    }

    /// The device limits (taken whole from the adapter).
    pub fn limits(&self) -> &wgpu::Limits {
        &self.limits
    }
}
