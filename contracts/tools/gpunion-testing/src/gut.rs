//! GUT on the suite: minting, transfers, the minter handover and token queries.

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use cw20::{BalanceResponse, Cw20QueryMsg, MinterResponse, TokenInfoResponse};
use gut_token::ContractError;
use gut_token::msg::{ExecuteMsg, InstantiateMsg, TokenSwapAllocation};

use crate::suite::{Suite, contract_code, contract_err};

/// One GUT in ugut.
pub const GUT: u128 = 1_000_000;

impl Suite {
    /// GUT's instantiation message for this suite: the suite's treasury and minter, and
    /// the token swap's allocation when there is one.
    pub fn gut_msg(&self) -> InstantiateMsg {
        InstantiateMsg {
            treasury: self.treasury.to_string(),
            minter: self.minter.to_string(),
            token_swap: self.snapshot.as_ref().map(|snapshot| TokenSwapAllocation {
                address: self.token_swap().to_string(),
                amount: Uint128::new(snapshot.total()),
            }),
            marketing: None,
        }
    }

    /// Instantiates another GUT with `msg`, returning its typed error on failure.
    pub fn instantiate_gut(&mut self, msg: &InstantiateMsg) -> Result<Addr, ContractError> {
        self.instantiate(contract_code!(gut_token), msg, "GUT")
            .map_err(contract_err)
    }

    /// Executes `msg` on GUT as `sender`.
    pub fn gut_execute(
        &mut self,
        sender: &Addr,
        msg: &ExecuteMsg,
    ) -> Result<AppResponse, ContractError> {
        let gut = self.gut.clone();
        self.execute_on(sender, &gut, msg).map_err(contract_err)
    }

    /// The minter mints `amount` to `to`.
    pub fn mint(&mut self, to: &Addr, amount: u128) -> Result<AppResponse, ContractError> {
        let minter = self.minter.clone();
        self.gut_execute(
            &minter,
            &ExecuteMsg::Mint {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }

    /// Gives `who` `amount` ugut: minted, or once the mining contract has taken minting
    /// over, sent from the treasury's premine.
    pub fn fund(&mut self, who: &Addr, amount: u128) {
        if self.mining.is_none() {
            self.mint(who, amount).expect("minter mints");
            return;
        }
        let treasury = self.treasury.clone();
        self.transfer(&treasury, who, amount)
            .expect("the treasury's premine pays");
    }

    pub fn transfer(
        &mut self,
        from: &Addr,
        to: &Addr,
        amount: u128,
    ) -> Result<AppResponse, ContractError> {
        self.gut_execute(
            from,
            &ExecuteMsg::Transfer {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }

    /// The minter hands minting over to `new_minter`.
    pub(crate) fn hand_minting_to(&mut self, new_minter: &Addr) {
        let minter = self.minter.clone();
        self.gut_execute(
            &minter,
            &ExecuteMsg::UpdateMinter {
                new_minter: Some(new_minter.to_string()),
            },
        )
        .expect("minter hands over");
    }

    /// `who`'s GUT balance in ugut.
    pub fn balance(&self, who: &Addr) -> u128 {
        let response: BalanceResponse = self.query_on(
            &self.gut,
            &Cw20QueryMsg::Balance {
                address: who.to_string(),
            },
            "balance",
        );
        response.balance.u128()
    }

    pub fn get_token_info(&self) -> TokenInfoResponse {
        self.query_on(&self.gut, &Cw20QueryMsg::TokenInfo {}, "token info")
    }

    pub fn get_minter(&self) -> Option<MinterResponse> {
        self.query_on(&self.gut, &Cw20QueryMsg::Minter {}, "minter")
    }
}
