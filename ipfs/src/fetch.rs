//! Fetching a directory: Kubo's `get` answers with a tar stream, which is unpacked
//! while it arrives, never held whole, and cut off as soon as it passes the limit.
//!
//! Two tasks share the work. The async side reads the HTTP body, counts the bytes that
//! arrive and passes them through a small bounded channel; a blocking task reads that
//! channel as a `std::io::Read`, parses the tar with the `tar` crate and writes the
//! files. The blocking task counts file bytes and stops at `max_bytes`, having written
//! no more than that; the async side stops the whole tar stream (headers and padding
//! included) at twice `max_bytes` plus [`FRAMING_ALLOWANCE`], so an archive of
//! countless empty files cannot stream forever either. Dropping the response closes
//! the connection, which makes Kubo stop.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{Cid, IpfsError, Kubo};

/// What a fetch may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchLimits {
    /// The most file bytes to write; more is `TooLarge`.
    pub max_bytes: u64,
    /// How long the CID may take to be found, and the longest the stream may stall.
    pub timeout: Duration,
}

/// Room for tar headers and padding beyond the file bytes, on top of `max_bytes` again.
const FRAMING_ALLOWANCE: u64 = 1 << 20;
/// Chunks in flight between the HTTP body and the tar parser.
const CHANNEL_CHUNKS: usize = 8;
/// Bytes a file is written in at a time.
const WRITE_CHUNK: usize = 64 * 1024;
/// A tar archive ends with two zero blocks; one that does not was cut short.
const END_OF_ARCHIVE: u64 = 1024;

impl Kubo {
    /// Fetches directory `cid` into `dest` (created; its entries become `dest`'s
    /// entries), enforcing `limits.max_bytes` on the bytes actually streamed (cut off as
    /// soon as the limit is passed, never downloaded whole) and `limits.timeout` for the
    /// CID to be found; calls `progress(bytes_so_far)` as data arrives. Returns bytes
    /// written. Rejects entry names that escape `dest` (`..`, absolute, symlinks).
    ///
    /// `dest` must be absent or an empty folder. After an error it may hold part of
    /// the directory (never more than `max_bytes` of file bytes); the caller removes it.
    pub async fn fetch_dir(
        &self,
        cid: &Cid,
        dest: &Path,
        limits: FetchLimits,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, IpfsError> {
        if !self.stat(cid, limits.timeout).await?.is_directory {
            return Err(IpfsError::NotADirectory { cid: cid.clone() });
        }
        prepare(dest)?;
        let not_found = || IpfsError::NotFound {
            cid: cid.clone(),
            timeout: limits.timeout,
        };
        let too_large = || IpfsError::TooLarge {
            cid: cid.clone(),
            limit: limits.max_bytes,
        };

        let request = self.command("get").query(&[("arg", cid.as_str())]);
        let response = tokio::time::timeout(limits.timeout, self.send(request))
            .await
            .map_err(|_| not_found())??;

        let (tx, rx) = mpsc::channel::<Bytes>(CHANNEL_CHUNKS);
        let written = Arc::new(AtomicU64::new(0));
        let unpack = Unpack {
            cid: cid.clone(),
            dest: dest.to_path_buf(),
            max_bytes: limits.max_bytes,
            written: Arc::clone(&written),
        };
        let unpacker = tokio::task::spawn_blocking(move || unpack.run(ChannelReader::new(rx)));

        let cap = limits
            .max_bytes
            .saturating_mul(2)
            .saturating_add(FRAMING_ALLOWANCE);
        let mut body = response.bytes_stream();
        let (mut streamed, mut reported) = (0u64, 0u64);
        // Err(None): the unpacker stopped taking data (its own result says why).
        let streaming: Result<(), Option<IpfsError>> = loop {
            let chunk = match tokio::time::timeout(limits.timeout, body.next()).await {
                Err(_stalled) => break Err(Some(not_found())),
                Ok(None) => break Ok(()),
                Ok(Some(Err(e))) => break Err(Some(self.transport(e).await)),
                Ok(Some(Ok(chunk))) => chunk,
            };
            streamed = streamed.saturating_add(chunk.len() as u64);
            if streamed > cap {
                break Err(Some(too_large()));
            }
            if tx.send(chunk).await.is_err() {
                break Err(None);
            }
            let now = written.load(Ordering::Relaxed);
            if now != reported {
                reported = now;
                progress(now);
            }
        };
        drop(body);
        drop(tx);
        let unpacked = unpacker
            .await
            .map_err(|e| IpfsError::local(dest, ErrorKind::Other, &e.to_string()))?;
        match streaming {
            Err(Some(e)) => Err(e),
            Err(None) | Ok(()) => {
                let total = unpacked?;
                if total != reported {
                    progress(total);
                }
                Ok(total)
            }
        }
    }
}

/// Creates `dest`, or checks that it is an empty folder.
fn prepare(dest: &Path) -> Result<(), IpfsError> {
    std::fs::create_dir_all(dest).map_err(|e| IpfsError::io(dest, e))?;
    let mut entries = std::fs::read_dir(dest).map_err(|e| IpfsError::io(dest, e))?;
    match entries.next() {
        None => Ok(()),
        Some(_) => Err(IpfsError::local(
            dest,
            ErrorKind::AlreadyExists,
            "destination folder is not empty",
        )),
    }
}

/// The blocking half: parses the tar and writes what it holds below `dest`.
struct Unpack {
    cid: Cid,
    dest: PathBuf,
    max_bytes: u64,
    /// File bytes written so far, read by the async side for progress.
    written: Arc<AtomicU64>,
}

impl Unpack {
    fn run(self, reader: ChannelReader) -> Result<u64, IpfsError> {
        let cut_short = |e: std::io::Error| IpfsError::Kubo {
            status: 200,
            message: format!("the tar stream of {} broke off: {e}", self.cid),
        };
        let mut archive = tar::Archive::new(reader);
        let mut root: Option<Vec<u8>> = None;
        for entry in archive.entries().map_err(cut_short)? {
            let mut entry = entry.map_err(cut_short)?;
            let name = entry.path_bytes().into_owned();
            let kind = entry.header().entry_type();
            let Some(root_name) = &root else {
                // The first entry is the root itself, named after the CID.
                if !kind.is_dir() {
                    return Err(IpfsError::NotADirectory {
                        cid: self.cid.clone(),
                    });
                }
                root = Some(trim_slash(&name).to_vec());
                continue;
            };
            let path = self.dest.join(self.relative(root_name, &name)?);
            if kind.is_dir() {
                std::fs::create_dir(&path).map_err(|e| IpfsError::io(&path, e))?;
            } else if kind.is_file() {
                self.write_file(&mut entry, &path)?;
            } else if kind != tar::EntryType::XGlobalHeader {
                return Err(self.unsafe_entry(&name));
            }
        }
        // Kubo ends a complete archive with zero blocks; an error mid-way ends the HTTP
        // body without them (its message goes into a trailer reqwest does not read).
        let mut rest = archive.into_inner();
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(cut_short)?;
        let missing = if root.is_none() {
            "empty archive"
        } else if rest.trailing_zeros < END_OF_ARCHIVE {
            "no end-of-archive marker"
        } else {
            return Ok(self.written.load(Ordering::Relaxed));
        };
        Err(cut_short(std::io::Error::new(
            ErrorKind::UnexpectedEof,
            missing,
        )))
    }

    /// The path of an entry below the root, refusing anything that could leave `dest`.
    fn relative(&self, root: &[u8], name: &[u8]) -> Result<PathBuf, IpfsError> {
        let rest = name
            .strip_prefix(root)
            .and_then(|r| r.strip_prefix(b"/"))
            .map(trim_slash)
            .ok_or_else(|| self.unsafe_entry(name))?;
        let rest = std::str::from_utf8(rest).map_err(|_| self.unsafe_entry(name))?;
        let path = Path::new(rest);
        let plain = !rest.is_empty()
            && !rest.contains('\0')
            && rest.split('/').all(|c| !c.is_empty())
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if plain {
            Ok(path.to_path_buf())
        } else {
            Err(self.unsafe_entry(name))
        }
    }

    /// Copies one file's bytes, never past `max_bytes` in all.
    fn write_file(&self, entry: &mut impl Read, path: &Path) -> Result<(), IpfsError> {
        let mut file = File::create_new(path).map_err(|e| IpfsError::io(path, e))?;
        let mut buf = vec![0; WRITE_CHUNK];
        loop {
            let n = entry.read(&mut buf).map_err(|e| IpfsError::Kubo {
                status: 200,
                message: format!("the tar stream of {} broke off: {e}", self.cid),
            })?;
            if n == 0 {
                return Ok(());
            }
            let before = self.written.load(Ordering::Relaxed);
            let room = usize::try_from(self.max_bytes.saturating_sub(before)).unwrap_or(usize::MAX);
            let take = n.min(room);
            file.write_all(&buf[..take])
                .map_err(|e| IpfsError::io(path, e))?;
            self.written.store(before + take as u64, Ordering::Relaxed);
            if take < n {
                return Err(IpfsError::TooLarge {
                    cid: self.cid.clone(),
                    limit: self.max_bytes,
                });
            }
        }
    }

    fn unsafe_entry(&self, name: &[u8]) -> IpfsError {
        IpfsError::UnsafeEntry {
            cid: self.cid.clone(),
            entry: String::from_utf8_lossy(name).into_owned(),
        }
    }
}

fn trim_slash(name: &[u8]) -> &[u8] {
    name.strip_suffix(b"/").unwrap_or(name)
}

/// The HTTP body's chunks, as a blocking `Read` for the tar parser. It also counts the
/// zero bytes the stream ended with, to see the end-of-archive marker.
struct ChannelReader {
    rx: mpsc::Receiver<Bytes>,
    chunk: Bytes,
    trailing_zeros: u64,
}

impl ChannelReader {
    fn new(rx: mpsc::Receiver<Bytes>) -> Self {
        ChannelReader {
            rx,
            chunk: Bytes::new(),
            trailing_zeros: 0,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(chunk) => self.chunk = chunk,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        let taken = self.chunk.split_to(n);
        buf[..n].copy_from_slice(&taken);
        match taken.iter().rposition(|b| *b != 0) {
            Some(last) => self.trailing_zeros = (n - last - 1) as u64,
            None => self.trailing_zeros += n as u64,
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unpack(dest: &Path, max_bytes: u64) -> Unpack {
        Unpack {
            cid: "bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi"
                .parse()
                .unwrap(),
            dest: dest.to_path_buf(),
            max_bytes,
            written: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A tar as Kubo would send it, its entries given as (name, content; None for a folder).
    fn tar(entries: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, content) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_mode(0o644);
            match content {
                None => {
                    header.set_entry_type(tar::EntryType::Directory);
                    header.set_size(0);
                }
                Some(bytes) => header.set_size(bytes.len() as u64),
            }
            // set_path refuses "..", so write the raw name as a hostile archive would.
            header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
            header.set_cksum();
            builder.append(&header, content.unwrap_or(&[])).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn run(tar: Vec<u8>, dest: &Path, max_bytes: u64) -> Result<u64, IpfsError> {
        let (tx, rx) = mpsc::channel(64);
        for chunk in tar.chunks(700) {
            tx.try_send(Bytes::copy_from_slice(chunk)).unwrap();
        }
        drop(tx);
        unpack(dest, max_bytes).run(ChannelReader::new(rx))
    }

    /// The daemon spawns fetches and adds on tokio: their futures must be `Send`.
    #[test]
    fn futures_are_send() {
        fn send<T: Send>(_: T) {}
        let kubo = Kubo::new("http://127.0.0.1:1").unwrap();
        let cid: Cid = "bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi"
            .parse()
            .unwrap();
        let limits = FetchLimits {
            max_bytes: 1,
            timeout: Duration::from_secs(1),
        };
        send(kubo.fetch_dir(&cid, Path::new("x"), limits, |_| {}));
        send(kubo.add_dir(Path::new("x")));
        send(kubo.stat(&cid, Duration::from_secs(1)));
        send(kubo.pin(&cid));
    }

    #[test]
    fn unpacks_below_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let archive = tar(&[
            ("r", None),
            ("r/a", Some(b"hello")),
            ("r/s/", None),
            ("r/s/b", Some(b"!")),
        ]);
        assert_eq!(run(archive, dir.path(), 100).unwrap(), 6);
        assert_eq!(std::fs::read(dir.path().join("a")).unwrap(), b"hello");
        assert_eq!(std::fs::read(dir.path().join("s/b")).unwrap(), b"!");
    }

    #[test]
    fn refuses_escaping_names() {
        for bad in [
            "r/../x",
            "/etc/x",
            "other/x",
            "r/./x",
            "r//x",
            "r/s/../../x",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let archive = tar(&[("r", None), (bad, Some(b"x"))]);
            let e = run(archive, dir.path(), 100).unwrap_err();
            assert!(
                matches!(&e, IpfsError::UnsafeEntry { entry, .. } if entry == bad),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn refuses_links() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = tar::Builder::new(Vec::new());
        let mut root = tar::Header::new_gnu();
        root.set_entry_type(tar::EntryType::Directory);
        root.set_size(0);
        builder.append_data(&mut root, "r", &[][..]).unwrap();
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Symlink);
        link.set_size(0);
        builder
            .append_link(&mut link, "r/l", "/etc/passwd")
            .unwrap();
        let e = run(builder.into_inner().unwrap(), dir.path(), 100).unwrap_err();
        assert!(matches!(e, IpfsError::UnsafeEntry { .. }), "{e}");
        assert!(!dir.path().join("l").exists());
    }

    #[test]
    fn stops_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let archive = tar(&[
            ("r", None),
            ("r/a", Some(&[1; 600])),
            ("r/b", Some(&[2; 600])),
        ]);
        let e = run(archive, dir.path(), 1000).unwrap_err();
        assert!(matches!(e, IpfsError::TooLarge { limit: 1000, .. }), "{e}");
        let b = std::fs::metadata(dir.path().join("b")).unwrap().len();
        assert_eq!(600 + b, 1000, "writes exactly up to the limit");
    }

    #[test]
    fn a_cut_stream_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = tar(&[("r", None), ("r/a", Some(b"hello"))]);
        archive.truncate(1024); // both headers... and the file's block, no end marker
        let e = run(archive, dir.path(), 100).unwrap_err();
        assert!(
            matches!(&e, IpfsError::Kubo { message, .. } if message.contains("broke off")),
            "{e}"
        );
    }

    #[test]
    fn a_file_root_is_not_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let e = run(tar(&[("f", Some(b"x"))]), dir.path(), 100).unwrap_err();
        assert!(matches!(e, IpfsError::NotADirectory { .. }), "{e}");
    }
}
