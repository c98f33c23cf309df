use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;

pub use cw20::Cw20ExecuteMsg as ExecuteMsg;
pub use cw20_base::msg::{InstantiateMarketingInfo, QueryMsg};

/// Instantiates GUT. Name, symbol, decimals, cap and premine are fixed by
/// [`crate::supply`]; only the accounts are chosen here.
#[cw_serde]
pub struct InstantiateMsg {
    /// Receives the 5% premine.
    pub treasury: String,
    /// May mint up to the cap; handed over to the mining contract with `UpdateMinter`.
    pub minter: String,
    /// The token-swap contract's initial balance, taken out of the minable 95%.
    pub token_swap: Option<TokenSwapAllocation>,
    /// Project, description, marketing account and logo.
    pub marketing: Option<InstantiateMarketingInfo>,
}

/// The balance the token-swap contract starts with.
#[cw_serde]
pub struct TokenSwapAllocation {
    /// The token-swap contract's address.
    pub address: String,
    /// Amount in ugut; non-zero and at most [`crate::supply::MINABLE`].
    pub amount: Uint128,
}
