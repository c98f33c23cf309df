//! The token swap's messages and records, and the formats it shares with the snapshot
//! CLI and with old-chain wallets: Base58Check P2PKH addresses ([`address`]), the
//! snapshot's Merkle tree ([`merkle`]) and the Bitcoin-family signed message
//! ([`signed_message`]), and a holder's claim data as the snapshot CLI writes it
//! ([`proof_file`]).
//!
//! Balances of the old distribution chain, snapshotted at a height into a Merkle tree,
//! are claimed on GPUnion's chain as GUT. A claim carries the old address, its amount, a
//! Merkle proof and a signature by the old address's key over [`claim_message`]: the
//! chain id, the swap contract and the new (bech32) address.

pub mod address;
pub mod merkle;
pub mod proof_file;
pub mod signed_message;

use cosmwasm_schema::{QueryResponses, cw_serde};
use cosmwasm_std::{Addr, Binary, HexBinary, Timestamp, Uint128};

/// The text an old wallet signs (`signmessage <old_address> <text>`) to claim its
/// balance to `recipient` from the swap contract `swap` on chain `chain_id`. Naming the
/// chain and the contract as well as the recipient means a signature made for one
/// deployment (a testnet, a second swap) pays nothing on another.
pub fn claim_message(chain_id: &str, swap: &str, recipient: &str) -> String {
    format!("GPUnion swap claim\nchain: {chain_id}\nswap: {swap}\nrecipient: {recipient}")
}

/// Sets up a swap for one snapshot.
#[cw_serde]
pub struct InstantiateMsg {
    /// May connect the token and, after the deadline, return unclaimed GUT.
    pub owner: String,
    /// Root of the snapshot's Merkle tree (32 bytes), from the snapshot CLI.
    pub merkle_root: HexBinary,
    /// Sum of all snapshot amounts in ugut: what GUT must give this contract.
    pub total_allocation: Uint128,
    /// The old chain's signed-message magic, e.g. "Bitcoin Signed Message:\n".
    pub message_magic: String,
    /// Version byte of the old chain's P2PKH addresses.
    pub address_version: u8,
    /// Height of the old chain at which balances were taken (recorded for audit).
    pub snapshot_height: u64,
    /// Claims are accepted strictly before this time.
    pub claim_deadline: Timestamp,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Owner, once: names the GUT token (which must already hold the allocation for
    /// this contract) and the mining contract that takes back unclaimed GUT.
    Connect { token: String, mining_pool: String },
    /// Pays `amount` of an old address's snapshot balance to `recipient`, once.
    Claim {
        /// Base58 P2PKH address on the old chain.
        old_address: String,
        /// The snapshot amount in ugut.
        amount: Uint128,
        /// Sibling hashes from the leaf to the root (32 bytes each).
        proof: Vec<HexBinary>,
        /// 65-byte signature by the old address's key over [`claim_message`] of this
        /// chain, this contract and `recipient`, as produced by the old wallet's
        /// `signmessage`.
        signature: Binary,
        /// The new bech32 address that receives the GUT (named in the signed message).
        recipient: String,
    },
    /// Owner, after the deadline: sends every unclaimed GUT back to the mining pool.
    ReturnUnclaimed {},
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The swap's parameters.
    #[returns(Config)]
    Config {},
    /// Whether an old address has claimed, and what.
    #[returns(ClaimResponse)]
    Claim { old_address: String },
    /// Totals claimed and returned so far.
    #[returns(StatsResponse)]
    Stats {},
}

/// Answer to [`QueryMsg::Claim`].
#[cw_serde]
pub struct ClaimResponse {
    pub claim: Option<ClaimRecord>,
}

/// Running totals as stored.
#[cw_serde]
#[derive(Default)]
pub struct Stats {
    pub claimed: Uint128,
    pub claims: u64,
    pub returned: Uint128,
}

impl Stats {
    /// The answer to [`QueryMsg::Stats`] for a swap of `total_allocation`.
    pub fn response(&self, total_allocation: Uint128) -> StatsResponse {
        StatsResponse {
            claimed: self.claimed,
            claims: self.claims,
            unclaimed: total_allocation.saturating_sub(self.claimed),
            returned: self.returned,
        }
    }
}

/// Where the swap keeps its records (cw-storage-plus namespaces): what a client asks the
/// node to prove in a verified read.
pub mod storage {
    /// `Item<Config>`.
    pub const CONFIG: &str = "config";
    /// `Map<&str, ClaimRecord>`: paid claims by old address in canonical Base58Check.
    pub const CLAIMS: &str = "claims";
    /// `Item<Stats>`.
    pub const STATS: &str = "stats";
}

/// Answer to [`QueryMsg::Stats`].
#[cw_serde]
pub struct StatsResponse {
    /// Sum paid out to claimants, in ugut.
    pub claimed: Uint128,
    /// Number of claims paid.
    pub claims: u64,
    /// Allocation not claimed (yet, or ever if already returned).
    pub unclaimed: Uint128,
    /// Sent back to the mining pool after the deadline.
    pub returned: Uint128,
}

/// The swap's parameters (answered by [`QueryMsg::Config`]).
#[cw_serde]
pub struct Config {
    pub owner: Addr,
    pub merkle_root: HexBinary,
    pub total_allocation: Uint128,
    pub message_magic: String,
    pub address_version: u8,
    pub snapshot_height: u64,
    pub claim_deadline: Timestamp,
    /// Set once by `Connect`.
    pub token: Option<Addr>,
    /// Set once by `Connect`.
    pub mining_pool: Option<Addr>,
}

/// One paid claim.
#[cw_serde]
pub struct ClaimRecord {
    pub recipient: Addr,
    pub amount: Uint128,
    pub height: u64,
}
