//! The mining contract on the suite, and a CPU miner that solves its challenges with the
//! `x16s` reference.

use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw_multi_test::AppResponse;
use gpunion_interface::market::ExecuteMsg as MarketExecuteMsg;
use gpunion_interface::mining::hashrate::ProvenHashrate;
use gpunion_interface::mining::header::{HEADER_VERSION, Header, commitment};
use mining::ContractError;
use mining::difficulty;
use mining::msg::{ChallengeResponse, EmissionResponse, ExecuteMsg, InstantiateMsg, QueryMsg};

use crate::gut::GUT;
use crate::suite::{Suite, contract_code, contract_err};

/// Half of all hashes meet it: about 2 tries per solution.
pub const EASIEST_BITS: u32 = 0x207f_ffff;
/// One hash in 64 meets it.
pub const EASY_BITS: u32 = 0x2003_ffff;

/// The mining parameters suites start with: 1-in-64 solutions, retargeting every 4
/// toward 60 s by at most 4x, a 600 s time window, 50 GUT halving every 1,000. The
/// suite fills in `token` and `token_swap`.
pub fn default_mining_msg() -> InstantiateMsg {
    InstantiateMsg {
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
        hashrate: None,
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

impl Suite {
    /// Instantiates a mining contract with `msg`'s parameters on the suite's GUT and
    /// token swap, returning its typed error on failure.
    pub fn instantiate_mining(&mut self, msg: InstantiateMsg) -> Result<Addr, ContractError> {
        let msg = InstantiateMsg {
            token: self.gut.to_string(),
            token_swap: self.token_swap.as_ref().map(Addr::to_string),
            ..msg
        };
        self.instantiate(contract_code!(mining), &msg, "mining")
            .map_err(contract_err)
    }

    /// The market's owner names the mining contract, whose records prove providers'
    /// hashrates.
    pub(crate) fn wire_mining(&mut self) {
        let (owner, market, mining) = (self.owner.clone(), self.market.clone(), self.mining());
        let msg = MarketExecuteMsg::SetMining {
            mining: Some(mining.to_string()),
        };
        self.execute_on(&owner, &market, &msg)
            .expect("owner sets the mining contract");
    }

    /// The proven hashrate of `miner` now.
    pub fn get_hashrate(&self, miner: &Addr) -> ProvenHashrate {
        self.query_mining(&QueryMsg::Hashrate {
            address: miner.to_string(),
        })
    }

    /// Executes `msg` on the mining contract as `sender`.
    pub fn mining_execute(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
    ) -> Result<AppResponse, ContractError> {
        let mining = self.mining();
        self.execute_on(sender, &mining, msg).map_err(contract_err)
    }

    /// Block time as a header carries it.
    pub fn header_time(&self) -> u32 {
        u32::try_from(self.now()).expect("fits")
    }

    /// The header `miner` would start from for the current challenge at block time.
    pub fn header_for(&self, miner: &Addr) -> Header {
        let challenge = self.get_challenge();
        Header {
            version: HEADER_VERSION,
            prev_hash: challenge.prev_hash.as_slice().try_into().expect("32 bytes"),
            commitment: commitment(&challenge.chain_id, miner.as_str()),
            time: self.header_time(),
            bits: challenge.bits,
            nonce: 0,
        }
    }

    pub fn submit(&mut self, miner: &Addr, header: &Header) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Submit {
            header: HexBinary::from(header.encode().as_slice()),
        };
        self.mining_execute(miner, &msg)
    }

    /// Solves the current challenge for `miner` and submits it.
    pub fn mine(&mut self, miner: &Addr) -> Result<AppResponse, ContractError> {
        let header = solve(self.header_for(miner));
        self.submit(miner, &header)
    }

    pub fn get_challenge(&self) -> ChallengeResponse {
        self.query_mining(&QueryMsg::Challenge {})
    }

    pub fn get_emission(&self) -> EmissionResponse {
        self.query_mining(&QueryMsg::Emission {})
    }

    pub fn query_mining<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.query_on(&self.mining(), msg, "mining")
    }
}
