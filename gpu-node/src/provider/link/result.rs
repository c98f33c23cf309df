//! A finished job's result folder sent to its customer: each folder as a frame, each
//! regular file as a header frame and its bytes, in path order, then an end frame with
//! the totals.

use std::path::{Path, PathBuf};

use futures::{AsyncWrite, AsyncWriteExt as _};
use gpunion_interface::lease_link::{MAX_FRAME_BYTES, ResultFrame};
use gpunion_p2p::frame::{self, FrameError};
use tokio::io::AsyncReadExt as _;

/// One entry of a result folder: its path relative to the folder (`/`-separated), where
/// it is, and its size (`None`: a folder).
pub type Entry = (String, PathBuf, Option<u64>);

/// The folders and files under `dir`, sorted by relative path (a folder before what it
/// holds); anything else (a symlink, a device) is refused.
pub fn list(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            let relative = path
                .strip_prefix(dir)
                .map_err(std::io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if kind.is_dir() {
                files.push((relative, path.clone(), None));
                folders.push(path);
            } else if kind.is_file() {
                files.push((relative, path, Some(entry.metadata()?.len())));
            } else {
                return Err(std::io::Error::other(format!(
                    "{} is not a regular file",
                    path.display()
                )));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Sends the entries `list` gave.
pub async fn send<S>(stream: &mut S, entries: &[Entry]) -> Result<(), FrameError>
where
    S: AsyncWrite + Unpin,
{
    let mut chunk = vec![0u8; 64 << 10];
    let (mut total, mut files) = (0u64, 0u64);
    for (relative, path, size) in entries {
        let Some(size) = size else {
            let folder = ResultFrame::Folder {
                path: relative.clone(),
            };
            frame::write(stream, &folder, MAX_FRAME_BYTES).await?;
            continue;
        };
        frame::write(
            stream,
            &ResultFrame::File {
                path: relative.clone(),
                size: *size,
            },
            MAX_FRAME_BYTES,
        )
        .await?;
        let mut file = tokio::fs::File::open(path).await?;
        let mut left = *size;
        while left > 0 {
            let want = left.min(chunk.len() as u64) as usize;
            let n = file.read(&mut chunk[..want]).await?;
            if n == 0 {
                return Err(FrameError::Io(std::io::ErrorKind::UnexpectedEof.into()));
            }
            stream.write_all(&chunk[..n]).await?;
            left -= n as u64;
        }
        total += size;
        files += 1;
    }
    let end = ResultFrame::End {
        files,
        bytes: total,
    };
    frame::write(stream, &end, MAX_FRAME_BYTES).await
}
