//! The token swap on the suite, its snapshot, and old-chain wallets that sign exactly as
//! Bitcoin-family wallets do.

use cosmwasm_std::{Addr, Binary, HexBinary, Timestamp, Uint128};
use cw_multi_test::AppResponse;
use gpunion_interface::token_swap::address::{encode_p2pkh, p2pkh_of_pubkey};
use gpunion_interface::token_swap::claim_message;
use gpunion_interface::token_swap::merkle::{self, MerkleTree};
use gpunion_interface::token_swap::signed_message::message_digest;
use k256::ecdsa::SigningKey;
use token_swap::ContractError;
use token_swap::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};

use crate::gut::GUT;
use crate::suite::{Suite, contract_code, contract_err};

/// Pigeoncoin-style parameters of the distribution chain.
pub const VERSION: u8 = 55;
pub const MAGIC: &str = "Pigeon Signed Message:\n";
/// Seconds from the suite's start to the claim deadline.
pub const SWAP_WINDOW: u64 = 30 * 24 * 3600;

/// A key of the old chain, with its P2PKH address (compressed or not).
pub struct OldWallet {
    key: SigningKey,
    compressed: bool,
}

impl OldWallet {
    /// A deterministic wallet from a seed byte.
    pub fn new(seed: u8, compressed: bool) -> Self {
        let key = SigningKey::from_bytes(&[seed; 32].into()).expect("valid scalar");
        Self { key, compressed }
    }

    pub fn address(&self) -> String {
        encode_p2pkh(&p2pkh_of_pubkey(&self.pubkey(), VERSION))
    }

    fn pubkey(&self) -> Vec<u8> {
        self.key
            .verifying_key()
            .to_encoded_point(self.compressed)
            .as_bytes()
            .to_vec()
    }

    /// `signmessage`: a 65-byte compact recoverable signature over the message digest.
    pub fn sign_message(&self, message: &str) -> Binary {
        let digest = message_digest(MAGIC, message);
        let (signature, recovery_id) = self
            .key
            .sign_prehash_recoverable(&digest)
            .expect("signing a digest");
        let mut out = vec![27 + recovery_id.to_byte() + if self.compressed { 4 } else { 0 }];
        out.extend_from_slice(&signature.to_bytes());
        Binary::from(out)
    }
}

/// One snapshot entry with its wallet.
pub struct Holder {
    pub wallet: OldWallet,
    pub amount: u128,
}

/// The distribution chain's balances the swap pays out, and their Merkle tree.
pub struct Snapshot {
    pub holders: Vec<Holder>,
    pub tree: MerkleTree,
}

impl Snapshot {
    pub fn new(holders: Vec<Holder>) -> Self {
        let leaves = holders
            .iter()
            .map(|h| merkle::leaf(&p2pkh_of_pubkey(&h.wallet.pubkey(), VERSION), h.amount))
            .collect();
        let tree = MerkleTree::new(leaves).expect("non-empty snapshot");
        Self { holders, tree }
    }

    /// One holder of `amount`.
    pub fn one_holder(amount: u128) -> Self {
        Self::new(vec![Holder {
            wallet: OldWallet::new(1, true),
            amount,
        }])
    }

    /// Four holders, one with an uncompressed key: 1,000 GUT, 250 GUT + 7, 42 GUT and 1
    /// ugut.
    pub fn four_holders() -> Self {
        Self::new(vec![
            Holder {
                wallet: OldWallet::new(1, true),
                amount: 1_000 * GUT,
            },
            Holder {
                wallet: OldWallet::new(2, true),
                amount: 250 * GUT + 7,
            },
            Holder {
                wallet: OldWallet::new(3, false),
                amount: 42 * GUT,
            },
            Holder {
                wallet: OldWallet::new(4, true),
                amount: 1,
            },
        ])
    }

    /// What all holders hold together: the swap's allocation.
    pub fn total(&self) -> u128 {
        self.holders.iter().map(|h| h.amount).sum()
    }

    /// A valid instantiation message of a swap over this snapshot.
    pub fn instantiate_msg(&self, owner: &Addr, deadline: Timestamp) -> InstantiateMsg {
        InstantiateMsg {
            owner: owner.to_string(),
            merkle_root: HexBinary::from(self.tree.root().as_slice()),
            total_allocation: Uint128::new(self.total()),
            message_magic: MAGIC.to_string(),
            address_version: VERSION,
            snapshot_height: 1_234_567,
            claim_deadline: deadline,
        }
    }
}

impl Suite {
    /// Instantiates another token swap with `msg`, returning its typed error on failure.
    pub fn instantiate_swap(&mut self, msg: &InstantiateMsg) -> Result<Addr, ContractError> {
        self.instantiate(contract_code!(token_swap), msg, "swap")
            .map_err(contract_err)
    }

    /// An instantiation message of a swap over the suite's snapshot that claims
    /// `total` and closes at `deadline`.
    pub fn swap_msg(&self, total: u128, deadline: Timestamp) -> InstantiateMsg {
        InstantiateMsg {
            total_allocation: Uint128::new(total),
            ..self.snapshot().instantiate_msg(&self.owner, deadline)
        }
    }

    /// Executes `msg` on the token swap as `sender`.
    pub fn swap_execute(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
    ) -> Result<AppResponse, ContractError> {
        let swap = self.token_swap();
        self.execute_on(sender, &swap, msg).map_err(contract_err)
    }

    /// `sender` connects the swap to GUT and to `mining_pool`.
    pub fn connect_swap(
        &mut self,
        sender: &Addr,
        mining_pool: &Addr,
    ) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Connect {
            token: self.gut.to_string(),
            mining_pool: mining_pool.to_string(),
        };
        self.swap_execute(sender, &msg)
    }

    /// A correct claim of holder `i` to `recipient`, ready to be altered by a test.
    pub fn claim_msg(&self, i: usize, recipient: &Addr) -> ExecuteMsg {
        let snapshot = self.snapshot();
        let holder = &snapshot.holders[i];
        ExecuteMsg::Claim {
            old_address: holder.wallet.address(),
            amount: Uint128::new(holder.amount),
            proof: snapshot
                .tree
                .proof(i)
                .expect("holder in tree")
                .iter()
                .map(|h| HexBinary::from(h.as_slice()))
                .collect(),
            signature: holder.wallet.sign_message(&self.claim_text(recipient)),
            recipient: recipient.to_string(),
        }
    }

    /// What a holder signs to claim to `recipient` from this suite's swap on its chain.
    pub fn claim_text(&self, recipient: &Addr) -> String {
        claim_message(
            &self.app.block_info().chain_id,
            self.token_swap().as_str(),
            recipient.as_str(),
        )
    }

    /// A relayer sends holder `i`'s claim to `recipient`.
    pub fn claim(&mut self, i: usize, recipient: &Addr) -> Result<AppResponse, ContractError> {
        let msg = self.claim_msg(i, recipient);
        let relayer = self.addr("relayer");
        self.swap_execute(&relayer, &msg)
    }

    pub fn query_swap<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.query_on(&self.token_swap(), msg, "swap")
    }
}
