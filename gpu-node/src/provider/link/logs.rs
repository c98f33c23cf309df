//! A job's output streamed to its customer: the container's stdout and stderr (and the
//! node's log of the job) as the job writes them into its result folder, until the
//! folder is complete (its `report.json` is written last).

use std::path::Path;
use std::time::Duration;

use futures::{AsyncRead, AsyncWrite};
use gpunion_interface::job::container::{STDERR_FILE, STDOUT_FILE};
use gpunion_interface::job::{LOG_FILE, REPORT_FILE};
use gpunion_interface::lease_link::{LogFrame, MAX_FRAME_BYTES, MAX_LOG_CHUNK};
use gpunion_p2p::frame::{self, FrameError};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

/// How often a followed job's files are read again.
const POLL: Duration = Duration::from_millis(200);

/// The files streamed, with the source name each frame carries.
const SOURCES: [(&str, &str); 3] = [
    ("stdout", STDOUT_FILE),
    ("stderr", STDERR_FILE),
    ("log", LOG_FILE),
];

/// Sends what the job in `result_dir` wrote (and, with `follow`, writes until its
/// folder is complete or `until` passes), then an end frame.
pub async fn stream<S>(
    stream: &mut S,
    result_dir: &Path,
    follow: bool,
    until: tokio::time::Instant,
) -> Result<(), FrameError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut offsets = [0u64; SOURCES.len()];
    loop {
        // Checked before reading: what was written before the report is all read below.
        let complete = tokio::fs::try_exists(result_dir.join(REPORT_FILE))
            .await
            .unwrap_or(false);
        for ((source, file), offset) in SOURCES.iter().zip(offsets.iter_mut()) {
            send_new(stream, &result_dir.join(file), source, offset).await?;
        }
        let reason = if complete {
            "finished"
        } else if !follow {
            "not following"
        } else if tokio::time::Instant::now() >= until {
            "the lease ended"
        } else {
            tokio::time::sleep(POLL).await;
            continue;
        };
        let end = LogFrame::End {
            reason: reason.into(),
        };
        return frame::write(stream, &end, MAX_FRAME_BYTES).await;
    }
}

/// Sends what `path` holds past `offset` in chunks, moving `offset` along.
async fn send_new<S>(
    stream: &mut S,
    path: &Path,
    source: &str,
    offset: &mut u64,
) -> Result<(), FrameError>
where
    S: AsyncWrite + Unpin,
{
    let Ok(mut file) = tokio::fs::File::open(path).await else {
        return Ok(()); // not written yet
    };
    if file.seek(std::io::SeekFrom::Start(*offset)).await.is_err() {
        return Ok(());
    }
    let mut chunk = vec![0u8; MAX_LOG_CHUNK];
    loop {
        let n = file.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return Ok(());
        }
        *offset += n as u64;
        let text = LogFrame::Text {
            source: source.into(),
            text: String::from_utf8_lossy(&chunk[..n]).into_owned(),
        };
        frame::write(stream, &text, MAX_FRAME_BYTES).await?;
    }
}
