//! The 80-byte mining header, laid out like a Bitcoin block header with the Merkle
//! root replaced by the miner's commitment. Integers are little-endian.
//!
//! | bytes  | field |
//! | ------ | ----- |
//! | 0..4   | version |
//! | 4..36  | previous solution hash (sets the X16S function order) |
//! | 36..68 | commitment = SHA-256(chain id ‖ 0x00 ‖ miner address) |
//! | 68..72 | time, seconds since the Unix epoch |
//! | 72..76 | target bits, compact form |
//! | 76..80 | nonce |
//!
//! The commitment binds a solution to one miner on one chain: a header seen in the
//! mempool is worthless to anyone else, and to any other chain.
//!
//! This module is the one codec of that layout: the contract decodes submissions with
//! it, miners (the SDK's CPU search, the node's GPU search) build and encode headers
//! with it.

use sha2::{Digest, Sha256};
use x16s::{CompactTargetError, Target};

use super::ChallengeResponse;

/// Length of an encoded header in bytes.
pub const HEADER_LEN: usize = x16s::HEADER_LEN;

/// Where the nonce sits in an encoded header (4 bytes, little-endian): the one field a
/// nonce search changes, so the GPU kernel writes it at this offset too.
pub const NONCE_OFFSET: usize = 76;

/// The header version the mining contract accepts.
pub const HEADER_VERSION: u32 = 1;

/// Bytes that cannot be a header.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// A header is exactly [`HEADER_LEN`] bytes.
    #[error("a header is {HEADER_LEN} bytes, found {length}")]
    Length { length: usize },
    /// A previous hash is 32 bytes.
    #[error("a previous hash is 32 bytes, found {length}")]
    PrevHashLength { length: usize },
}

/// A decoded header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    /// The previous solution's X16S hash: sets the function order.
    pub prev_hash: [u8; 32],
    /// [`commitment`] of the miner on its chain.
    pub commitment: [u8; 32],
    /// Seconds since the Unix epoch; must be near block time.
    pub time: u32,
    /// The target, compact form.
    pub bits: u32,
    pub nonce: u32,
}

impl Header {
    /// The header that solves `challenge` for `miner` at `time` with `nonce`.
    pub fn for_challenge(
        challenge: &ChallengeResponse,
        miner: &str,
        time: u32,
        nonce: u32,
    ) -> Result<Self, HeaderError> {
        let prev_hash =
            challenge
                .prev_hash
                .as_slice()
                .try_into()
                .map_err(|_| HeaderError::PrevHashLength {
                    length: challenge.prev_hash.len(),
                })?;
        Ok(Self {
            version: challenge.header_version,
            prev_hash,
            commitment: commitment(&challenge.chain_id, miner),
            time,
            bits: challenge.bits,
            nonce,
        })
    }

    /// Splits 80 bytes into fields.
    pub fn decode(bytes: &[u8; HEADER_LEN]) -> Self {
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let hash = |at: usize| -> [u8; 32] { core::array::from_fn(|i| bytes[at + i]) };
        Self {
            version: word(0),
            prev_hash: hash(4),
            commitment: hash(36),
            time: word(68),
            bits: word(72),
            nonce: word(NONCE_OFFSET),
        }
    }

    /// Decodes a header given as a slice of any length: only [`HEADER_LEN`] bytes are one.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, HeaderError> {
        let bytes = bytes.try_into().map_err(|_| HeaderError::Length {
            length: bytes.len(),
        })?;
        Ok(Self::decode(bytes))
    }

    /// The 80 bytes a miner hashes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut bytes = [0u8; HEADER_LEN];
        bytes[0..4].copy_from_slice(&self.version.to_le_bytes());
        bytes[4..36].copy_from_slice(&self.prev_hash);
        bytes[36..68].copy_from_slice(&self.commitment);
        bytes[68..72].copy_from_slice(&self.time.to_le_bytes());
        bytes[72..76].copy_from_slice(&self.bits.to_le_bytes());
        bytes[NONCE_OFFSET..].copy_from_slice(&self.nonce.to_le_bytes());
        bytes
    }

    /// The same header with another nonce.
    pub fn with_nonce(self, nonce: u32) -> Self {
        Self { nonce, ..self }
    }

    /// The header's X16S hash (read little-endian against the target).
    pub fn hash(&self) -> [u8; 32] {
        x16s::hash(&self.encode())
    }

    /// The order in which X16S applies its functions to this header, from its previous
    /// hash.
    pub fn order(&self) -> [u8; 16] {
        x16s::order(&self.prev_hash)
    }

    /// The target its bits stand for.
    pub fn target(&self) -> Result<Target, CompactTargetError> {
        Target::from_compact(self.bits)
    }

    /// Whether the header's hash meets its own target (a solution, if the bits are the
    /// challenge's).
    pub fn meets_target(&self) -> Result<bool, CompactTargetError> {
        Ok(self.target()?.is_met_by(&self.hash()))
    }
}

/// The commitment of `miner` (a bech32 address) on chain `chain_id`.
pub fn commitment(chain_id: &str, miner: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(chain_id.as_bytes());
    hasher.update([0]);
    hasher.update(miner.as_bytes());
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{HexBinary, Uint128};

    fn header() -> Header {
        Header {
            version: HEADER_VERSION,
            prev_hash: [7; 32],
            commitment: commitment("gpunion-local", "wasm1miner"),
            time: 1_764_000_000,
            bits: 0x1e0f_ffff,
            nonce: 0xdead_beef,
        }
    }

    fn challenge(prev_hash: Vec<u8>) -> ChallengeResponse {
        ChallengeResponse {
            chain_id: "gpunion-local".into(),
            header_version: 1,
            height: 0,
            prev_hash: HexBinary::from(prev_hash),
            bits: 0x2003_ffff,
            target: HexBinary::from(vec![0u8; 32]),
            reward: Uint128::new(50_000_000),
            time_window: 600,
        }
    }

    #[test]
    fn encode_and_decode_are_inverse() {
        let header = header();
        let bytes = header.encode();
        assert_eq!(&bytes[0..4], &1u32.to_le_bytes());
        assert_eq!(&bytes[4..36], &[7; 32]);
        assert_eq!(&bytes[68..72], &1_764_000_000u32.to_le_bytes());
        assert_eq!(&bytes[72..76], &0x1e0f_ffffu32.to_le_bytes());
        assert_eq!(&bytes[76..80], &0xdead_beef_u32.to_le_bytes());
        assert_eq!(Header::decode(&bytes), header);
        assert_eq!(Header::from_slice(&bytes), Ok(header));
    }

    #[test]
    fn only_80_bytes_are_a_header() {
        assert_eq!(
            Header::from_slice(&[0; 79]),
            Err(HeaderError::Length { length: 79 })
        );
        assert_eq!(
            Header::from_slice(&[0; 81]),
            Err(HeaderError::Length { length: 81 })
        );
    }

    #[test]
    fn commitments_differ_by_miner_and_chain() {
        let a = commitment("gpunion-1", "wasm1a");
        assert_ne!(a, commitment("gpunion-1", "wasm1b"));
        assert_ne!(a, commitment("gpunion-2", "wasm1a"));
    }

    #[test]
    fn a_challenge_header_carries_the_challenge_and_the_commitment() {
        let header =
            Header::for_challenge(&challenge(vec![7; 32]), "wasm1miner", 1_764_000_000, 9).unwrap();
        assert_eq!(header.version, 1);
        assert_eq!(header.prev_hash, [7; 32]);
        assert_eq!(header.commitment, commitment("gpunion-local", "wasm1miner"));
        assert_eq!(header.time, 1_764_000_000);
        assert_eq!(header.bits, 0x2003_ffff);
        assert_eq!(header.nonce, 9);
        assert_eq!(
            Header::for_challenge(&challenge(vec![1; 31]), "wasm1m", 0, 0),
            Err(HeaderError::PrevHashLength { length: 31 })
        );
    }

    #[test]
    fn hash_order_and_target_are_x16s_of_the_encoding() {
        let header = header().with_nonce(3);
        assert_eq!(header.nonce, 3);
        assert_eq!(header.hash(), x16s::hash(&header.encode()));
        assert_eq!(header.order(), x16s::order(&[7; 32]));
        assert_eq!(
            header.meets_target(),
            x16s::meets_target(&header.hash(), header.bits)
        );
        let zero = Header { bits: 0, ..header };
        assert_eq!(
            zero.meets_target(),
            Err(CompactTargetError::Zero { bits: 0 })
        );
    }
}
