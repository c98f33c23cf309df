//! Adding a local folder: one multipart upload of every folder and file, streamed from
//! disk, answered by one NDJSON line per entry, the root last.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use futures::TryStreamExt;
use reqwest::Body;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use tokio_util::io::ReaderStream;

use crate::{Cid, IpfsError, Kubo};

/// The root's name in the upload. It is not part of the directory's CID (a name lives
/// in the parent's link, and the root has no parent), so any fixed name does.
const ROOT: &str = "bundle";

/// One entry of the folder, found before the upload starts.
struct Entry {
    /// The multipart file name: `bundle/sub/file`, query-escaped as Kubo unescapes it.
    name: String,
    /// The file on disk; `None` for a folder.
    file: Option<(PathBuf, u64)>,
}

/// One line of `add`'s answer: an added entry, or an error Kubo hit while adding.
#[derive(Deserialize)]
struct Added {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Hash")]
    hash: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

impl Kubo {
    /// Adds a local folder recursively (its contents become the entries of the
    /// returned directory CID), as CIDv1, pinned.
    ///
    /// Symbolic links and names that are not UTF-8 are refused (`Io`), so the CID
    /// always means the same bytes wherever it is fetched.
    pub async fn add_dir(&self, dir: &Path) -> Result<Cid, IpfsError> {
        let root = dir.to_path_buf();
        let entries = tokio::task::spawn_blocking(move || list(&root))
            .await
            .map_err(|e| IpfsError::local(dir, ErrorKind::Other, &e.to_string()))??;
        let mut form = Form::new().percent_encode_noop();
        for entry in entries {
            let part = match entry.file {
                None => Part::bytes(Vec::new()).mime_str("application/x-directory"),
                Some((path, len)) => {
                    Part::stream_with_length(Body::wrap_stream(file_stream(path)), len)
                        .mime_str("application/octet-stream")
                }
            };
            let part = part.map_err(|e| IpfsError::Kubo {
                status: 0,
                message: e.to_string(),
            })?;
            form = form.part("file", part.file_name(entry.name));
        }
        let request = self.command("add").multipart(form).query(&[
            ("cid-version", "1"),
            ("pin", "true"),
            ("wrap-with-directory", "false"),
            ("progress", "false"),
        ]);
        let response = self.send(request).await?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(|e| IpfsError::Kubo {
            status,
            message: format!("answer cut off: {e}"),
        })?;
        root_cid(&body, status)
    }
}

/// The root's CID from `add`'s NDJSON answer: the last line, named `bundle`.
fn root_cid(body: &str, status: u16) -> Result<Cid, IpfsError> {
    let unexpected = |message: String| IpfsError::Kubo { status, message };
    let mut root = None;
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let added: Added = serde_json::from_str(line)
            .map_err(|e| unexpected(format!("unexpected answer to add ({e}): {line}")))?;
        if let Some(message) = added.message {
            return Err(unexpected(message));
        }
        root = Some(added);
    }
    match root {
        Some(Added {
            name,
            hash: Some(hash),
            ..
        }) if name == ROOT => hash.parse(),
        _ => Err(unexpected(format!(
            "add's answer does not end with the folder: {body}"
        ))),
    }
}

/// The file's bytes, opened only when the upload reaches it (a folder of many files
/// does not hold them all open at once).
fn file_stream(
    path: PathBuf,
) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures::stream::once(tokio::fs::File::open(path))
        .map_ok(ReaderStream::new)
        .try_flatten()
}

/// Every folder and file below `dir`, each folder before what it holds.
fn list(dir: &Path) -> Result<Vec<Entry>, IpfsError> {
    let meta = std::fs::metadata(dir).map_err(|e| IpfsError::io(dir, e))?;
    if !meta.is_dir() {
        return Err(IpfsError::local(
            dir,
            ErrorKind::InvalidInput,
            "not a folder",
        ));
    }
    let mut entries = vec![Entry {
        name: ROOT.to_owned(),
        file: None,
    }];
    walk(dir, ROOT, &mut entries)?;
    Ok(entries)
}

fn walk(dir: &Path, name: &str, entries: &mut Vec<Entry>) -> Result<(), IpfsError> {
    let mut children = std::fs::read_dir(dir)
        .and_then(|d| d.collect::<Result<Vec<_>, _>>())
        .map_err(|e| IpfsError::io(dir, e))?;
    children.sort_by_key(|c| c.file_name());
    for child in children {
        let path = child.path();
        let child_name = child
            .file_name()
            .into_string()
            .map_err(|_| IpfsError::local(&path, ErrorKind::InvalidData, "name is not UTF-8"))?;
        let child_name = format!("{name}/{}", escape(&child_name));
        let meta = std::fs::symlink_metadata(&path).map_err(|e| IpfsError::io(&path, e))?;
        if meta.is_dir() {
            entries.push(Entry {
                name: child_name.clone(),
                file: None,
            });
            walk(&path, &child_name, entries)?;
        } else if meta.is_file() {
            entries.push(Entry {
                name: child_name,
                file: Some((path, meta.len())),
            });
        } else {
            let what = "not a plain file or folder (symbolic links are not added)";
            return Err(IpfsError::local(&path, ErrorKind::InvalidInput, what));
        }
    }
    Ok(())
}

/// Escapes a name as Go's `url.QueryEscape` does (all but `A-Za-z0-9-_.~`), which is
/// what Kubo's multipart reader undoes with `url.QueryUnescape`.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_query_escaped() {
        assert_eq!(escape("a b+c%d/é.txt"), "a%20b%2Bc%25d%2F%C3%A9.txt");
        assert_eq!(escape("plain-name_1.~"), "plain-name_1.~");
    }

    #[test]
    fn the_root_is_the_last_line() {
        let body = concat!(
            r#"{"Name":"bundle/a.txt","Hash":"bafkreiey5jxe6ilpf62lnh77tm5ejbbmhbugzjuf6p2v3remlu73ced34q","Size":"3"}"#,
            "\n",
            r#"{"Name":"bundle","Hash":"bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi","Size":"159"}"#,
            "\n"
        );
        let cid = root_cid(body, 200).unwrap();
        assert_eq!(
            cid.as_str(),
            "bafybeihofcisojp2msz4mn2mnhwzpsmtvlphhm3ss22wkzswrmq7mocasi"
        );
        let error = r#"{"Message":"disk full","Code":0,"Type":"error"}"#;
        assert!(
            matches!(root_cid(error, 200), Err(IpfsError::Kubo { message, .. }) if message == "disk full")
        );
        assert!(root_cid("", 200).is_err());
    }
}
