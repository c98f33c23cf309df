//! Checking a result folder: a WGSL job's output files read back into the buffers they
//! hold (PNGs decoded to their RGBA8 bytes), a container job's every output file, each
//! hashed with the one rule, [`output_hash`], so a customer verifies what a provider
//! posted on chain.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::{Manifest, OUTPUTS_DIR, OutputFile, OutputFormat, OutputHasher, output_hash};

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
    /// A container job's output is not a plain file or folder.
    #[error("output {file} is a {kind}, not a plain file or folder")]
    NotPlain { file: String, kind: String },
    /// A container job's output path is not UTF-8.
    #[error("output {file} has a name that is not UTF-8")]
    Name { file: String },
    /// A container job's outputs are larger than allowed.
    #[error("the outputs hold more than {limit} bytes")]
    TooLarge { limit: u64 },
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

/// A container job's outputs: every file under `outputs` (the result folder's
/// [`OUTPUTS_DIR`]), listed and hashed with [`output_hash`] under its path relative to
/// `outputs` (`/`-separated), in byte order of the paths. Folders count only through
/// the files in them. Anything that is not a plain file or folder (a symlink, a FIFO,
/// a socket, a device) is refused, and so is more than `max_bytes` in all.
pub fn folder_outputs(
    outputs: &Path,
    max_bytes: u64,
) -> Result<(Vec<OutputFile>, [u8; 32]), ResultError> {
    let mut files = Vec::new();
    collect_files(outputs, "", &mut files)?;
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let total: u64 = files.iter().map(|(_, _, len)| *len).sum();
    if total > max_bytes {
        return Err(ResultError::TooLarge { limit: max_bytes });
    }
    let mut hasher = OutputHasher::default();
    let mut listed = Vec::with_capacity(files.len());
    let mut buf = vec![0; 1 << 16];
    for (name, path, len) in files {
        let read_error = |e: std::io::Error| ResultError::Read {
            file: name.clone(),
            message: e.to_string(),
        };
        hasher.begin(&name, len);
        // Exactly the length listed, even if the file changes meanwhile.
        let mut file = std::fs::File::open(&path).map_err(read_error)?.take(len);
        let mut read = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(read_error)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            read += n as u64;
        }
        if read != len {
            return Err(read_error(std::io::Error::other(
                "the file shrank while read",
            )));
        }
        listed.push(OutputFile {
            buffer: name.clone(),
            file: name,
            bytes: len,
        });
    }
    Ok((listed, hasher.finish()))
}

/// Every file under `dir`, as (its path under the outputs, its path here, its size).
fn collect_files(
    dir: &Path,
    prefix: &str,
    files: &mut Vec<(String, PathBuf, u64)>,
) -> Result<(), ResultError> {
    let read_error = |e: std::io::Error| ResultError::Read {
        file: if prefix.is_empty() {
            ".".into()
        } else {
            prefix.into()
        },
        message: e.to_string(),
    };
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let os_name = entry.file_name();
        let Some(name) = os_name.to_str() else {
            return Err(ResultError::Name {
                file: format!("{prefix}{}", os_name.to_string_lossy()),
            });
        };
        let rel = format!("{prefix}{name}");
        // Not followed: a symlink is refused whatever it points at.
        let meta = std::fs::symlink_metadata(entry.path()).map_err(read_error)?;
        let kind = meta.file_type();
        if kind.is_dir() {
            collect_files(&entry.path(), &format!("{rel}/"), files)?;
        } else if kind.is_file() {
            files.push((rel, entry.path(), meta.len()));
        } else {
            return Err(ResultError::NotPlain {
                file: rel,
                kind: file_kind(&kind).into(),
            });
        }
    }
    Ok(())
}

fn file_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_symlink() {
        "symlink"
    } else if kind.is_fifo() {
        "FIFO"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device node"
    } else {
        "special file"
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_outputs_hash_every_file_by_path_in_byte_order() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("b/c")).unwrap();
        std::fs::create_dir(out.join("empty")).unwrap();
        std::fs::write(out.join("b/c/d.txt"), b"deep").unwrap();
        std::fs::write(out.join("a.bin"), [1, 2, 3]).unwrap();
        std::fs::write(out.join("B"), b"").unwrap();
        let (files, hash) = folder_outputs(out, 1 << 20).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(names, ["B", "a.bin", "b/c/d.txt"]);
        let expected = output_hash([
            ("B", &b""[..]),
            ("a.bin", &[1, 2, 3][..]),
            ("b/c/d.txt", &b"deep"[..]),
        ]);
        assert_eq!(hash, expected);
        assert!(matches!(
            folder_outputs(out, 6),
            Err(ResultError::TooLarge { limit: 6 })
        ));
    }

    #[test]
    fn folder_outputs_refuse_symlinks_and_fifos() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("passwd")).unwrap();
        let error = folder_outputs(dir.path(), u64::MAX).unwrap_err();
        assert!(
            matches!(&error, ResultError::NotPlain { file, kind } if file == "passwd" && kind == "symlink"),
            "{error}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("sub/pipe"))
            .status()
            .unwrap();
        assert!(made.success());
        let error = folder_outputs(dir.path(), u64::MAX).unwrap_err();
        assert!(
            matches!(&error, ResultError::NotPlain { file, kind } if file == "sub/pipe" && kind == "FIFO"),
            "{error}"
        );
    }
}
