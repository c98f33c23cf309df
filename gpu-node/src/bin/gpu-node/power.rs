//! The GPU's power draw, where the driver reports it (NVIDIA's NVML, loaded at run
//! time: on a machine without it there is simply no reading).

use nvml_wrapper::{Device, Nvml};

/// Reads one GPU's power draw through NVML.
pub struct PowerMeter {
    nvml: Nvml,
    index: u32,
}

impl PowerMeter {
    /// The meter of the NVML device named like the wgpu adapter `adapter` (or the only
    /// NVML device), if the driver's library is present and reports power.
    pub fn open(adapter: &str) -> Option<Self> {
        let nvml = Nvml::init().ok()?;
        let count = nvml.device_count().ok()?;
        let named = (0..count).find(|&i| {
            nvml.device_by_index(i)
                .and_then(|d| d.name())
                .is_ok_and(|name| adapter.contains(&name) || name.contains(adapter))
        });
        let index = named.or((count == 1).then_some(0))?;
        let meter = Self { nvml, index };
        meter.watts().map(|_| meter)
    }

    fn device(&self) -> Option<Device<'_>> {
        self.nvml.device_by_index(self.index).ok()
    }

    /// The draw now, in watts (NVML averages it over about a second on recent GPUs).
    pub fn watts(&self) -> Option<f64> {
        let milliwatts = self.device()?.power_usage().ok()?;
        Some(f64::from(milliwatts) / 1000.0)
    }
}

/// The mean of power readings taken while a measurement runs.
#[derive(Default)]
pub struct MeanPower {
    sum: f64,
    samples: u32,
}

impl MeanPower {
    /// Adds a reading (none: the driver gave none).
    pub fn add(&mut self, watts: Option<f64>) {
        if let Some(watts) = watts {
            self.sum += watts;
            self.samples += 1;
        }
    }

    /// The mean draw, if any reading was taken.
    pub fn mean(&self) -> Option<f64> {
        (self.samples > 0).then(|| self.sum / f64::from(self.samples))
    }
}
