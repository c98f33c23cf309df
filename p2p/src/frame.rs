//! Size-limited JSON frames on a stream: a 4-byte big-endian length, then that many bytes
//! of JSON. A frame over the limit is refused before it is read, so a peer cannot make the
//! other side allocate more than the limit.

use futures::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The stream failed or ended mid-frame.
    #[error("stream: {0}")]
    Io(#[from] std::io::Error),
    /// The stream ended cleanly before a frame started.
    #[error("the stream ended")]
    Closed,
    /// The announced length is above the limit.
    #[error("frame of {len} bytes is over the {limit}-byte limit")]
    TooLarge { len: usize, limit: usize },
    /// The bytes are not the expected message.
    #[error("malformed frame: {0}")]
    Malformed(String),
}

/// Writes `message` as one frame (refusing one larger than `limit`) and flushes.
pub async fn write<W, T>(writer: &mut W, message: &T, limit: usize) -> Result<(), FrameError>
where
    W: AsyncWrite + Unpin,
    T: Serialize,
{
    let body = serde_json::to_vec(message).map_err(|e| FrameError::Malformed(e.to_string()))?;
    if body.len() > limit {
        return Err(FrameError::TooLarge {
            len: body.len(),
            limit,
        });
    }
    let len = u32::try_from(body.len()).map_err(|_| FrameError::TooLarge {
        len: body.len(),
        limit,
    })?;
    writer.write_all(&len.to_be_bytes()).await?;
    writer.write_all(&body).await?;
    writer.flush().await?;
    Ok(())
}

/// Reads one frame of at most `limit` bytes and decodes it.
pub async fn read<R, T>(reader: &mut R, limit: usize) -> Result<T, FrameError>
where
    R: AsyncRead + Unpin,
    T: DeserializeOwned,
{
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < len.len() {
        let n = reader.read(&mut len[got..]).await?;
        if n == 0 {
            return Err(if got == 0 {
                FrameError::Closed
            } else {
                FrameError::Io(std::io::ErrorKind::UnexpectedEof.into())
            });
        }
        got += n;
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > limit {
        return Err(FrameError::TooLarge { len, limit });
    }
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).await?;
    serde_json::from_slice(&body).map_err(|e| FrameError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::io::Cursor;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Hello {
        lease_id: u64,
    }

    #[tokio::test]
    async fn a_frame_round_trips_and_the_next_read_sees_the_end() {
        let mut buffer = Vec::new();
        write(&mut buffer, &Hello { lease_id: 7 }, 64)
            .await
            .unwrap();
        let mut reader = Cursor::new(buffer);
        let hello: Hello = read(&mut reader, 64).await.unwrap();
        assert_eq!(hello, Hello { lease_id: 7 });
        assert!(matches!(
            read::<_, Hello>(&mut reader, 64).await,
            Err(FrameError::Closed)
        ));
    }

    #[tokio::test]
    async fn oversized_truncated_and_malformed_frames_are_refused() {
        let big = u32::MAX.to_be_bytes().to_vec();
        assert!(matches!(
            read::<_, Hello>(&mut Cursor::new(big), 64).await,
            Err(FrameError::TooLarge { .. })
        ));
        let mut truncated = 10u32.to_be_bytes().to_vec();
        truncated.extend_from_slice(b"{\"le");
        assert!(matches!(
            read::<_, Hello>(&mut Cursor::new(truncated), 64).await,
            Err(FrameError::Io(_))
        ));
        let mut junk = 3u32.to_be_bytes().to_vec();
        junk.extend_from_slice(b"{]}");
        assert!(matches!(
            read::<_, Hello>(&mut Cursor::new(junk), 64).await,
            Err(FrameError::Malformed(_))
        ));
        let mut half_length = vec![0u8, 0];
        half_length.truncate(2);
        assert!(matches!(
            read::<_, Hello>(&mut Cursor::new(half_length), 64).await,
            Err(FrameError::Io(_))
        ));
        let mut out = Vec::new();
        assert!(matches!(
            write(&mut out, &Hello { lease_id: 1 }, 4).await,
            Err(FrameError::TooLarge { .. })
        ));
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn random_bytes_never_panic() {
        // A small deterministic generator: the fuzz corpus is the same on every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| (state.rotate_left(i as u32 * 5) & 0xff) as u8)
                .collect();
            let _ = read::<_, Hello>(&mut Cursor::new(bytes), 32).await;
        }
    }
}
