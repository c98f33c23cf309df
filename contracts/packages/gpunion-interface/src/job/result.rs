//! Checking a result folder against its manifest: the output files read back into the
//! buffers they hold (PNGs decoded to their RGBA8 bytes) and hashed with the one rule,
//! [`output_hash`], so a customer verifies what a provider posted on chain.

use std::path::Path;

use super::{Manifest, OUTPUTS_DIR, OutputFormat, output_hash};

/// Why a result folder does not hold the outputs its manifest names.
#[derive(Debug, thiserror::Error)]
pub enum ResultError {
    /// An output file is missing or unreadable.
    #[error("output {file}: {message}")]
    Read { file: String, message: String },
    /// A PNG output does not decode to RGBA8 pixels of the manifest's size.
    #[error("output {file} is not a {width}x{height} RGBA8 PNG: {message}")]
    Image {
        file: String,
        width: u32,
        height: u32,
        message: String,
    },
}

/// The output hash of the result folder `dir` of a job run from `manifest`.
pub fn result_hash(manifest: &Manifest, dir: &Path) -> Result<[u8; 32], ResultError> {
    let mut buffers = Vec::with_capacity(manifest.outputs.len());
    for output in &manifest.outputs {
        let path = dir.join(OUTPUTS_DIR).join(&output.file);
        let bytes = std::fs::read(&path).map_err(|e| ResultError::Read {
            file: output.file.clone(),
            message: e.to_string(),
        })?;
        let data = match output.format {
            OutputFormat::Raw => bytes,
            OutputFormat::Rgba8Png { width, height } => decode_rgba8(&bytes, width, height)
                .map_err(|message| ResultError::Image {
                    file: output.file.clone(),
                    width,
                    height,
                    message,
                })?,
        };
        buffers.push((output.buffer.as_str(), data));
    }
    Ok(output_hash(
        buffers.iter().map(|(name, data)| (*name, data.as_slice())),
    ))
}

fn decode_rgba8(bytes: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let info = reader.info();
    if info.width != width || info.height != height {
        return Err(format!("it is {}x{}", info.width, info.height));
    }
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return Err(format!("{:?} at {:?}", info.color_type, info.bit_depth));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "an image too large to decode".to_string())?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(|e| e.to_string())?;
    pixels.truncate(frame.buffer_size());
    Ok(pixels)
}
