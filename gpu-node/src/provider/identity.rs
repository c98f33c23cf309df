//! The node's libp2p identity: an Ed25519 key kept in the node's home, whose peer id
//! the node registers on the market (the P2P layer will listen under it).

use std::path::Path;

use libp2p_identity::Keypair;

/// The identity key's file in the node's home.
pub const IDENTITY_FILE: &str = "identity.key";

/// Why the identity could not be loaded or made.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// Reading or writing the key file failed.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// The file does not hold a libp2p key.
    #[error("{path} is not a libp2p identity key: {message}")]
    Decode { path: String, message: String },
}

/// The key in `<home>/identity.key`, made (and saved, owner-readable only) if absent.
pub fn load_or_create(home: &Path) -> Result<Keypair, IdentityError> {
    let path = home.join(IDENTITY_FILE);
    let shown = path.display().to_string();
    match std::fs::read(&path) {
        Ok(bytes) => Keypair::from_protobuf_encoding(&bytes).map_err(|e| IdentityError::Decode {
            path: shown,
            message: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let keypair = Keypair::generate_ed25519();
            let bytes = keypair
                .to_protobuf_encoding()
                .map_err(|e| IdentityError::Decode {
                    path: shown.clone(),
                    message: e.to_string(),
                })?;
            write_private(&path, &bytes).map_err(|e| IdentityError::Io {
                path: shown,
                message: e.to_string(),
            })?;
            Ok(keypair)
        }
        Err(e) => Err(IdentityError::Io {
            path: shown,
            message: e.to_string(),
        }),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(first.public().to_peer_id(), again.public().to_peer_id());
        let id = first.public().to_peer_id().to_base58();
        assert!(id.starts_with("12D3KooW"), "{id}");
        gpunion_interface::validate::peer_id(&id).unwrap();
    }
}
