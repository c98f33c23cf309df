//! The endorsement contract on the suite: endorser bonds, ratings and reputation.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, StdResult, Uint128, to_json_binary};
use cw_multi_test::AppResponse;
use cw20::Cw20ExecuteMsg;
use gpunion_interface::endorsement::{
    EndorsementParams, ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg, Reputation,
};

use crate::gut::GUT;
use crate::market::CID_B;
use crate::suite::{Suite, contract_code, contract_err};

/// The endorsement contract's parameters in suites: 500 GUT endorser minimum, 7 days
/// unbonding, 90-day rating half-life, prior of 100 GUT, ratings weigh at most 1,000 GUT,
/// full endorsement at 10,000 GUT of endorsing stake.
pub fn default_endorsement_params() -> EndorsementParams {
    EndorsementParams {
        min_endorser_stake: Uint128::new(500 * GUT),
        unbonding_seconds: 7 * 86_400,
        rating_half_life_seconds: 90 * 86_400,
        prior_weight: Uint128::new(100 * GUT),
        max_rating_weight: Uint128::new(1_000 * GUT),
        full_endorsement_stake: Uint128::new(10_000 * GUT),
    }
}

/// The endorsement contract's typed error inside a failed execution.
pub fn endorsement_err(err: anyhow::Error) -> endorsement::ContractError {
    contract_err(err)
}

impl Suite {
    pub(crate) fn instantiate_endorsement(&mut self, params: EndorsementParams) -> Addr {
        let msg = InstantiateMsg {
            owner: None,
            gut_token: self.gut.to_string(),
            market: self.market.to_string(),
            treasury: self.treasury.to_string(),
            params,
        };
        self.instantiate(contract_code!(endorsement), &msg, "endorsement")
            .expect("endorsement instantiates")
    }

    /// Executes `msg` on the endorsement contract.
    pub fn endorse_execute(&mut self, sender: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let endorsement = self.endorsement.clone();
        self.execute_on(sender, &endorsement, msg)
    }

    /// Bonds `amount` of `endorser`'s GUT as endorser stake.
    pub fn bond_endorser(&mut self, endorser: &Addr, amount: u128) -> AnyResult<AppResponse> {
        let msg = Cw20ExecuteMsg::Send {
            contract: self.endorsement.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(&ReceiveMsg::BondEndorser {})?,
        };
        let gut = self.gut.clone();
        self.execute_on(endorser, &gut, &msg)
    }

    pub fn rate(&mut self, customer: &Addr, lease_id: u64, score: u8) -> AnyResult<AppResponse> {
        self.endorse_execute(
            customer,
            &ExecuteMsg::Rate {
                lease_id,
                score,
                comment_cid: Some(CID_B.into()),
            },
        )
    }

    pub fn get_reputation(&self, provider: &Addr) -> Reputation {
        self.query_on(
            &self.endorsement,
            &QueryMsg::Reputation {
                provider: provider.to_string(),
            },
            "reputation",
        )
    }

    pub fn query_endorsement<T: serde::de::DeserializeOwned>(
        &self,
        msg: &QueryMsg,
    ) -> StdResult<T> {
        self.app.wrap().query_wasm_smart(&self.endorsement, msg)
    }
}
