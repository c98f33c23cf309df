//! A cw-multi-test chain with GUT, the token swap and the mining contract as GUT's
//! minter, and a CPU miner that solves challenges with the `x16s` reference.

use cosmwasm_std::{Addr, HexBinary, Timestamp, Uint128, Uint256};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use mining::ContractError;
use mining::difficulty;
use mining::header::{HEADER_VERSION, Header, commitment};
use mining::msg::{ChallengeResponse, EmissionResponse, ExecuteMsg, InstantiateMsg, QueryMsg};

pub const GUT: u128 = 1_000_000;
/// Half of all hashes meet it: about 2 tries per solution.
pub const EASIEST_BITS: u32 = 0x207f_ffff;
/// One hash in 64 meets it.
pub const EASY_BITS: u32 = 0x2003_ffff;

pub struct Suite {
    pub app: App,
    pub admin: Addr,
    pub token: Addr,
    pub mining: Addr,
    /// The real token-swap contract, when the builder gave it an allocation.
    pub swap: Option<Addr>,
}

/// Seconds until the token swap's claim deadline.
pub const SWAP_WINDOW: u64 = 1_000;

/// Builds a [`Suite`]; the defaults retarget every 4 solutions toward 60 s.
pub struct SuiteBuilder {
    pub msg: InstantiateMsg,
    /// GUT the (real) token-swap contract holds, out of the minable share, if any.
    pub swap_allocation: Option<u128>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self {
            msg: InstantiateMsg {
                token: String::new(),
                token_swap: None,
                initial_bits: EASY_BITS,
                pow_limit_bits: EASIEST_BITS,
                target_spacing: 60,
                retarget_interval: 4,
                max_adjustment: 4,
                time_window: 600,
                initial_reward: Uint128::new(50 * GUT),
                halving_interval: 1_000,
                genesis_prev_hash: None,
            },
            swap_allocation: None,
        }
    }
}

impl SuiteBuilder {
    pub fn build(self) -> Result<Suite, ContractError> {
        let mut app = App::default();
        let admin = app.api().addr_make("admin");
        let gut_code = app.store_code(Box::new(ContractWrapper::new(
            gut_token::contract::execute,
            gut_token::contract::instantiate,
            gut_token::contract::query,
        )));
        let swap = self
            .swap_allocation
            .map(|amount| instantiate_swap(&mut app, &admin, amount));
        let token_swap = swap
            .as_ref()
            .zip(self.swap_allocation)
            .map(|(address, amount)| gut_token::msg::TokenSwapAllocation {
                address: address.to_string(),
                amount: Uint128::new(amount),
            });
        let gut_msg = gut_token::msg::InstantiateMsg {
            treasury: app.api().addr_make("treasury").to_string(),
            minter: admin.to_string(),
            token_swap,
            marketing: None,
        };
        let token = app
            .instantiate_contract(gut_code, admin.clone(), &gut_msg, &[], "GUT", None)
            .expect("GUT instantiates");
        let code = app.store_code(Box::new(ContractWrapper::new(
            mining::contract::execute,
            mining::contract::instantiate,
            mining::contract::query,
        )));
        let msg = InstantiateMsg {
            token: token.to_string(),
            token_swap: swap.as_ref().map(Addr::to_string),
            ..self.msg
        };
        let mining = app
            .instantiate_contract(code, admin.clone(), &msg, &[], "mining", None)
            .map_err(into_contract_error)?;
        app.execute_contract(
            admin.clone(),
            token.clone(),
            &Cw20ExecuteMsg::UpdateMinter {
                new_minter: Some(mining.to_string()),
            },
            &[],
        )
        .expect("minter handed over");
        if let Some(swap) = &swap {
            let connect = token_swap::msg::ExecuteMsg::Connect {
                token: token.to_string(),
                mining_pool: mining.to_string(),
            };
            app.execute_contract(admin.clone(), swap.clone(), &connect, &[])
                .expect("swap connects");
        }
        Ok(Suite {
            app,
            admin,
            token,
            mining,
            swap,
        })
    }
}

/// A token swap over a one-holder snapshot of `amount`, claimable for [`SWAP_WINDOW`].
fn instantiate_swap(app: &mut App, owner: &Addr, amount: u128) -> Addr {
    let leaf = token_swap::merkle::leaf(&[55; 21], amount);
    let tree = token_swap::merkle::MerkleTree::new(vec![leaf]).expect("one leaf");
    let code = app.store_code(Box::new(ContractWrapper::new(
        token_swap::contract::execute,
        token_swap::contract::instantiate,
        token_swap::contract::query,
    )));
    let msg = token_swap::msg::InstantiateMsg {
        owner: owner.to_string(),
        merkle_root: HexBinary::from(tree.root().as_slice()),
        total_allocation: Uint128::new(amount),
        message_magic: "Pigeon Signed Message:\n".to_string(),
        address_version: 55,
        snapshot_height: 1,
        claim_deadline: app.block_info().time.plus_seconds(SWAP_WINDOW),
    };
    app.instantiate_contract(code, owner.clone(), &msg, &[], "swap", None)
        .expect("swap instantiates")
}

pub fn into_contract_error(err: anyhow::Error) -> ContractError {
    match err.downcast::<ContractError>() {
        Ok(err) => err,
        Err(other) => panic!("expected a mining ContractError, got {other:?}"),
    }
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn now(&self) -> u32 {
        u32::try_from(self.app.block_info().time.seconds()).expect("fits")
    }

    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.height += 1;
            b.time = Timestamp::from_seconds(b.time.seconds() + seconds);
        });
    }

    pub fn challenge(&self) -> ChallengeResponse {
        self.query(&QueryMsg::Challenge {})
    }

    pub fn emission(&self) -> EmissionResponse {
        self.query(&QueryMsg::Emission {})
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.mining, msg)
            .expect("mining query")
    }

    /// The header `miner` would start from for the current challenge at block time.
    pub fn header_for(&self, miner: &Addr) -> Header {
        let challenge = self.challenge();
        Header {
            version: HEADER_VERSION,
            prev_hash: challenge.prev_hash.as_slice().try_into().expect("32 bytes"),
            commitment: commitment(&challenge.chain_id, miner.as_str()),
            time: self.now(),
            bits: challenge.bits,
            nonce: 0,
        }
    }

    pub fn submit(&mut self, miner: &Addr, header: &Header) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Submit {
            header: HexBinary::from(header.encode().as_slice()),
        };
        self.app
            .execute_contract(miner.clone(), self.mining.clone(), &msg, &[])
            .map_err(into_contract_error)
    }

    /// Solves the current challenge for `miner` and submits it.
    pub fn mine(&mut self, miner: &Addr) -> Result<AppResponse, ContractError> {
        let header = solve(self.header_for(miner));
        self.submit(miner, &header)
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
            .expect("balance");
        response.balance.u128()
    }

    pub fn token_supply(&self) -> u128 {
        let info: TokenInfoResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.token, &Cw20QueryMsg::TokenInfo {})
            .expect("token info");
        info.total_supply.u128()
    }
}

fn meets(header: &Header) -> bool {
    let target = difficulty::target_of(header.bits).expect("valid bits");
    Uint256::from_le_bytes(x16s::hash(&header.encode())) <= target
}

/// The CPU miner: the first nonce from `header.nonce` whose X16S hash meets the target.
pub fn solve(mut header: Header) -> Header {
    while !meets(&header) {
        header.nonce += 1;
    }
    header
}

/// The first nonce from `header.nonce` whose hash does NOT meet the target.
pub fn fail(mut header: Header) -> Header {
    while meets(&header) {
        header.nonce += 1;
    }
    header
}
