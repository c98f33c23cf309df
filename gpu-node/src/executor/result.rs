//! The result folder of a job: `outputs/<file>` for each output, `log.txt` for a
//! person, `report.json` ([`JobReport`]) for programs, and a deterministic job's
//! dispatch trace `trace.json`.

use std::{
    fmt::{self, Write as _},
    fs,
    io::BufWriter,
    path::{Path, PathBuf},
    time::Instant,
};

use gpunion_interface::job::{
    JobReport, LOG_FILE, Manifest, OUTPUTS_DIR, OutputFile, OutputFormat, REPORT_FILE,
};
use gpunion_interface::trace::{TRACE_FILE, Trace};

use super::ExecError;

/// What happened during a job, line by line, each stamped with the seconds since the
/// job started: the `log.txt` of the result folder.
#[derive(Debug)]
pub struct JobLog {
    start: Instant,
    text: String,
}

impl JobLog {
    /// An empty log whose clock starts now.
    pub fn new() -> Self {
        Self::since(Instant::now())
    }

    /// An empty log whose clock started at `start`.
    pub fn since(start: Instant) -> Self {
        Self {
            start,
            text: String::new(),
        }
    }

    /// When the job started.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// Adds a line (or several).
    pub fn note(&mut self, line: impl fmt::Display) {
        let seconds = self.start.elapsed().as_secs_f64();
        // Writing to a String cannot fail.
        let _ = writeln!(self.text, "[{seconds:8.3} s] {line}");
    }

    /// Adds `text` as it is (another process's log, its standard error).
    pub fn append(&mut self, heading: &str, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let _ = writeln!(self.text, "--- {heading} ---");
        self.text.push_str(text);
        if !text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// The log so far.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Default for JobLog {
    fn default() -> Self {
        Self::new()
    }
}

fn write_error(path: PathBuf) -> impl FnOnce(std::io::Error) -> ExecError {
    move |source| ExecError::Write { path, source }
}

/// Saves each output (`data` in the manifest's output order) under `out_dir/outputs`,
/// raw or as PNG, and lists the files.
pub fn save_outputs(
    out_dir: &Path,
    manifest: &Manifest,
    data: &[Vec<u8>],
) -> Result<Vec<OutputFile>, ExecError> {
    let mut files = Vec::with_capacity(manifest.outputs.len());
    for (output, bytes) in manifest.outputs.iter().zip(data) {
        // Checked relative paths without `..` (Manifest::check): they stay inside.
        let path = out_dir.join(OUTPUTS_DIR).join(&output.file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(write_error(parent.to_owned()))?;
        }
        match output.format {
            OutputFormat::Raw => fs::write(&path, bytes).map_err(write_error(path.clone()))?,
            OutputFormat::Rgba8Png { width, height } => {
                write_png(&path, width, height, bytes)?;
            }
        }
        let size = fs::metadata(&path)
            .map_err(write_error(path.clone()))?
            .len();
        files.push(OutputFile {
            buffer: output.buffer.clone(),
            file: output.file.clone(),
            bytes: size,
        });
    }
    Ok(files)
}

fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) -> Result<(), ExecError> {
    let file = fs::File::create(path).map_err(write_error(path.to_owned()))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let png_error = |e: png::EncodingError| ExecError::Write {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    };
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(rgba).map_err(png_error)?;
    writer.finish().map_err(png_error)
}

/// Writes `log.txt`, then `report.json` into `out_dir` (made if missing): the report
/// comes last, so that its presence says the result folder is complete.
pub fn write_report(out_dir: &Path, report: &JobReport, log: &JobLog) -> Result<(), ExecError> {
    fs::create_dir_all(out_dir).map_err(write_error(out_dir.to_owned()))?;
    let json = serde_json::to_vec_pretty(report).map_err(|e| ExecError::Write {
        path: out_dir.join(REPORT_FILE),
        source: e.into(),
    })?;
    let path = out_dir.join(LOG_FILE);
    fs::write(&path, log.text()).map_err(write_error(path))?;
    let path = out_dir.join(REPORT_FILE);
    fs::write(&path, json).map_err(write_error(path))
}

/// Writes a deterministic job's dispatch trace (`trace.json`) into `out_dir`.
pub fn save_trace(out_dir: &Path, trace: &Trace) -> Result<(), ExecError> {
    fs::create_dir_all(out_dir).map_err(write_error(out_dir.to_owned()))?;
    let path = out_dir.join(TRACE_FILE);
    let json = serde_json::to_vec(trace).map_err(|e| ExecError::Write {
        path: path.clone(),
        source: e.into(),
    })?;
    fs::write(&path, json).map_err(write_error(path))
}

/// The trace in `out_dir`, if there is a readable one.
pub fn read_trace(out_dir: &Path) -> Option<Trace> {
    let bytes = fs::read(out_dir.join(TRACE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The report in `out_dir`, if there is a readable one.
pub fn read_report(out_dir: &Path) -> Option<JobReport> {
    let bytes = fs::read(out_dir.join(REPORT_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}
