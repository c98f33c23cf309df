//! GUT, the CW20 token (cw20-base).

use cosmwasm_std::{Binary, Uint128};
use cw20::{BalanceResponse, MinterResponse, TokenInfoResponse};
use gut_token::msg::{ExecuteMsg, QueryMsg};
use serde::Serialize;

use crate::contracts::{Contract, execute_msg};
use crate::error::{Error, Result};
use crate::keys::parse_address;
use crate::rpc::Rpc;
use crate::tx::{Signer, TxOutcome};

/// The GUT token contract at one address.
#[derive(Debug, Clone)]
pub struct Gut {
    contract: Contract,
}

impl Gut {
    /// The token at `address`.
    pub fn new(rpc: Rpc, address: impl Into<String>) -> Self {
        Self {
            contract: Contract::new(rpc, address),
        }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// GUT balance of `owner`, in ugut.
    pub async fn balance(&self, owner: &str) -> Result<u128> {
        let answer: BalanceResponse = self
            .contract
            .query(&QueryMsg::Balance {
                address: owner.to_string(),
            })
            .await?;
        Ok(answer.balance.u128())
    }

    /// Name, symbol, decimals and total supply.
    pub async fn token_info(&self) -> Result<TokenInfoResponse> {
        self.contract.query(&QueryMsg::TokenInfo {}).await
    }

    /// Who may mint, and the cap.
    pub async fn minter(&self) -> Result<Option<MinterResponse>> {
        self.contract.query(&QueryMsg::Minter {}).await
    }

    /// The message transferring `amount` ugut from `sender` to `recipient`, for batching.
    pub fn transfer_msg(&self, sender: &str, recipient: &str, amount: u128) -> Result<cosmrs::Any> {
        parse_address(recipient, None)?;
        execute_msg(
            sender,
            self.contract.address(),
            &ExecuteMsg::Transfer {
                recipient: recipient.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }

    /// Transfers `amount` ugut to `recipient` and waits for inclusion.
    pub async fn transfer(
        &self,
        signer: &Signer,
        recipient: &str,
        amount: u128,
    ) -> Result<TxOutcome> {
        let msg = self.transfer_msg(signer.address(), recipient, amount)?;
        signer.send(vec![msg], "").await
    }

    /// Sends `amount` ugut to `contract` with `hook` as the CW20 receive message (how
    /// the market takes stakes and lease deposits).
    pub async fn send<H: Serialize>(
        &self,
        signer: &Signer,
        contract: &str,
        amount: u128,
        hook: &H,
    ) -> Result<TxOutcome> {
        let hook =
            serde_json::to_vec(hook).map_err(|e| Error::bad_input(format!("hook message: {e}")))?;
        self.contract
            .execute(
                signer,
                &ExecuteMsg::Send {
                    contract: contract.to_string(),
                    amount: Uint128::new(amount),
                    msg: Binary::from(hook),
                },
            )
            .await
    }
}
