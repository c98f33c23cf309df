//! A cw-multi-test chain with GUT, the token swap and a mining-pool receiver, and
//! old-chain wallets that sign exactly as Bitcoin-family wallets do.

use cosmwasm_std::{
    Addr, Binary, Deps, DepsMut, Empty, Env, HexBinary, MessageInfo, Response, StdError, StdResult,
    Timestamp, Uint128, from_json, to_json_binary,
};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use cw20::{BalanceResponse, Cw20QueryMsg, Cw20ReceiveMsg};
use gpunion_interface::mining::MiningPoolHookMsg;
use k256::ecdsa::SigningKey;
use token_swap::ContractError;
use token_swap::address::{encode_p2pkh, p2pkh_of_pubkey};
use token_swap::merkle::{self, MerkleTree};
use token_swap::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use token_swap::signed_message::message_digest;

/// Pigeoncoin-style parameters of the distribution chain.
pub const VERSION: u8 = 55;
pub const MAGIC: &str = "Pigeon Signed Message:\n";
pub const GUT: u128 = 1_000_000;
/// Seconds from the suite's start to the claim deadline.
pub const WINDOW: u64 = 30 * 24 * 3600;

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

/// The chain, its contracts and the snapshot.
pub struct Suite {
    pub app: App,
    pub owner: Addr,
    pub token: Addr,
    pub swap: Addr,
    pub mining_pool: Addr,
    pub holders: Vec<Holder>,
    pub tree: MerkleTree,
}

impl Suite {
    /// Snapshot of four holders (one with an uncompressed key), swap and GUT
    /// instantiated; connected when `connect` is true.
    pub fn new(connect: bool) -> Self {
        let holders = vec![
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
        ];
        let leaves = holders
            .iter()
            .map(|h| merkle::leaf(&p2pkh_of_pubkey(&h.wallet.pubkey(), VERSION), h.amount))
            .collect();
        let tree = MerkleTree::new(leaves).expect("non-empty snapshot");
        let total: u128 = holders.iter().map(|h| h.amount).sum();

        let mut app = App::default();
        let owner = app.api().addr_make("owner");
        let deadline = app.block_info().time.plus_seconds(WINDOW);
        let msg = swap_msg(&app, &tree, total, deadline);
        let swap = instantiate_swap(&mut app, &msg).expect("swap instantiates");

        let gut_code = app.store_code(Box::new(ContractWrapper::new(
            gut_token::contract::execute,
            gut_token::contract::instantiate,
            gut_token::contract::query,
        )));
        let gut_msg = gut_token::msg::InstantiateMsg {
            treasury: app.api().addr_make("treasury").to_string(),
            minter: app.api().addr_make("minter").to_string(),
            token_swap: Some(gut_token::msg::TokenSwapAllocation {
                address: swap.to_string(),
                amount: Uint128::new(total),
            }),
            marketing: None,
        };
        let token = app
            .instantiate_contract(gut_code, owner.clone(), &gut_msg, &[], "GUT", None)
            .expect("GUT instantiates");

        let pool_code = app.store_code(Box::new(ContractWrapper::new(
            receive_into_pool,
            |_: DepsMut, _: Env, _: MessageInfo, _: Empty| -> StdResult<Response> {
                Ok(Response::new())
            },
            |_: Deps, _: Env, _: Empty| -> StdResult<Binary> { to_json_binary(&Empty {}) },
        )));
        let mining_pool = app
            .instantiate_contract(pool_code, owner.clone(), &Empty {}, &[], "pool", None)
            .expect("pool instantiates");

        let mut suite = Self {
            app,
            owner,
            token,
            swap,
            mining_pool,
            holders,
            tree,
        };
        if connect {
            suite.connect(&suite.owner.clone()).expect("owner connects");
        }
        suite
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn execute(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
    ) -> Result<AppResponse, ContractError> {
        self.app
            .execute_contract(sender.clone(), self.swap.clone(), msg, &[])
            .map_err(into_contract_error)
    }

    pub fn connect(&mut self, sender: &Addr) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Connect {
            token: self.token.to_string(),
            mining_pool: self.mining_pool.to_string(),
        };
        self.execute(sender, &msg)
    }

    /// A correct claim of holder `i` to `recipient`, ready to be altered by a test.
    pub fn claim_msg(&self, i: usize, recipient: &Addr) -> ExecuteMsg {
        let holder = &self.holders[i];
        ExecuteMsg::Claim {
            old_address: holder.wallet.address(),
            amount: Uint128::new(holder.amount),
            proof: self
                .tree
                .proof(i)
                .expect("holder in tree")
                .iter()
                .map(|h| HexBinary::from(h.as_slice()))
                .collect(),
            signature: holder.wallet.sign_message(recipient.as_str()),
            recipient: recipient.to_string(),
        }
    }

    pub fn claim(&mut self, i: usize, recipient: &Addr) -> Result<AppResponse, ContractError> {
        let msg = self.claim_msg(i, recipient);
        let relayer = self.addr("relayer");
        self.execute(&relayer, &msg)
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        let response: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .expect("balance query");
        response.balance.u128()
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.swap, msg)
            .expect("swap query")
    }

    pub fn pass_deadline(&mut self) {
        self.app
            .update_block(|b| b.time = b.time.plus_seconds(WINDOW));
    }
}

/// A valid instantiation message for `tree`.
pub fn swap_msg(app: &App, tree: &MerkleTree, total: u128, deadline: Timestamp) -> InstantiateMsg {
    InstantiateMsg {
        owner: app.api().addr_make("owner").to_string(),
        merkle_root: HexBinary::from(tree.root().as_slice()),
        total_allocation: Uint128::new(total),
        message_magic: MAGIC.to_string(),
        address_version: VERSION,
        snapshot_height: 1_234_567,
        claim_deadline: deadline,
    }
}

pub fn instantiate_swap(app: &mut App, msg: &InstantiateMsg) -> Result<Addr, ContractError> {
    let code = app.store_code(Box::new(ContractWrapper::new(
        token_swap::contract::execute,
        token_swap::contract::instantiate,
        token_swap::contract::query,
    )));
    let owner = app.api().addr_make("owner");
    app.instantiate_contract(code, owner, msg, &[], "swap", None)
        .map_err(into_contract_error)
}

fn into_contract_error(err: anyhow::Error) -> ContractError {
    match err.downcast::<ContractError>() {
        Ok(err) => err,
        Err(other) => panic!("expected a token-swap ContractError, got {other:?}"),
    }
}

#[cosmwasm_schema::cw_serde]
enum PoolMsg {
    Receive(Cw20ReceiveMsg),
}

/// Stands in for the mining contract's receiving side: accepts only the swap's hook.
fn receive_into_pool(_: DepsMut, _: Env, _: MessageInfo, msg: PoolMsg) -> StdResult<Response> {
    let PoolMsg::Receive(receive) = msg;
    match from_json::<MiningPoolHookMsg>(&receive.msg) {
        Ok(MiningPoolHookMsg::ReturnToPool {}) => Ok(Response::new()
            .add_attribute("returned_from", receive.sender)
            .add_attribute("returned_amount", receive.amount)),
        Err(e) => Err(StdError::generic_err(format!("unexpected hook: {e}"))),
    }
}
