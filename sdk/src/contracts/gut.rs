//! GUT, the CW20 token (cw20-base).

use cosmwasm_std::{Binary, Uint128};
use cw20::{BalanceResponse, MinterResponse, TokenInfoResponse};
use gpunion_interface::gut::{ExecuteMsg, QueryMsg, TokenInfo, storage};
use serde::Serialize;

use crate::contracts::{Contract, execute_msg};
use crate::error::{Error, Result};
use crate::keys::parse_address;
use crate::light::Verified;
use crate::storage::map_key;
use crate::tx::{Signer, TxOutcome};

/// The GUT token contract at one address.
#[derive(Debug, Clone)]
pub struct Gut {
    contract: Contract,
}

impl Gut {
    /// The token reached through `contract` (see [`crate::Chain`]).
    pub fn new(contract: Contract) -> Self {
        Self { contract }
    }

    /// The contract address.
    pub fn address(&self) -> &str {
        self.contract.address()
    }

    /// GUT balance of `owner`, in ugut, proven against a verified header (an account
    /// that never held GUT is a proven zero).
    pub async fn balance(&self, owner: &str) -> Result<u128> {
        Ok(self.balance_verified(owner).await?.value)
    }

    /// [`Gut::balance`] with the state height it was proven at.
    pub async fn balance_verified(&self, owner: &str) -> Result<Verified<u128>> {
        parse_address(owner, None)?;
        let key = map_key(storage::BALANCES, &[owner.as_bytes()]);
        let read: Verified<Option<Uint128>> = self
            .contract
            .load_verified(&key, &format!("GUT balance of {owner}"))
            .await?;
        Ok(Verified {
            value: read.value.unwrap_or_default().u128(),
            height: read.height,
        })
    }

    /// GUT balance of `owner`, in ugut, as the node answers a smart query: **not
    /// verified**.
    pub async fn balance_unverified(&self, owner: &str) -> Result<u128> {
        let answer: BalanceResponse = self
            .contract
            .query_unverified(&QueryMsg::Balance {
                address: owner.to_string(),
            })
            .await?;
        Ok(answer.balance.u128())
    }

    /// Name, symbol, decimals and total supply, proven against a verified header.
    pub async fn token_info(&self) -> Result<TokenInfoResponse> {
        Ok(self.stored_token_info().await?.response())
    }

    /// [`Gut::token_info`] as the node answers a smart query: **not verified**.
    pub async fn token_info_unverified(&self) -> Result<TokenInfoResponse> {
        self.contract
            .query_unverified(&QueryMsg::TokenInfo {})
            .await
    }

    /// Who may mint, and the cap, proven against a verified header.
    pub async fn minter(&self) -> Result<Option<MinterResponse>> {
        Ok(self.stored_token_info().await?.minter())
    }

    /// [`Gut::minter`] as the node answers a smart query: **not verified**.
    pub async fn minter_unverified(&self) -> Result<Option<MinterResponse>> {
        self.contract.query_unverified(&QueryMsg::Minter {}).await
    }

    /// The token record cw20-base stores, proven.
    async fn stored_token_info(&self) -> Result<TokenInfo> {
        self.contract
            .item(storage::TOKEN_INFO, "GUT token info")
            .await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_key_is_cw_storage_plus_map_key() {
        // That GUT (cw20-base) stores balances under this namespace is pinned in the
        // gut-token contract's tests.
        let owner = "wasm1d8jtjdmal7x6n5weg6zczagfs5ckkzsrc37sp3";
        let balances: cw_storage_plus::Map<&cosmwasm_std::Addr, Uint128> =
            cw_storage_plus::Map::new(storage::BALANCES);
        assert_eq!(
            map_key(storage::BALANCES, &[owner.as_bytes()]),
            balances.key(&cosmwasm_std::Addr::unchecked(owner)).to_vec()
        );
    }
}
