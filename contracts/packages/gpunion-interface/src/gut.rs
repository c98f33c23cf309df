//! GUT, the GPUnion token: a CW20 token on cw20-base. Its instantiate message, its
//! supply figures, and the CW20 standard's messages it answers.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};

/// GUT executes the CW20 standard's messages (with GUT's rules on top: no zero
/// amounts, the minter is never removed).
pub use cw20::Cw20ExecuteMsg as ExecuteMsg;
/// GUT answers the CW20 standard's queries (cw20-base's query message has the same
/// variants and JSON, and one more, `AllSpenderAllowances`, that clients do not use).
pub use cw20::Cw20QueryMsg as QueryMsg;

/// Where GUT (cw20-base) keeps its records: what a client asks the node to prove in a
/// verified read.
pub mod storage {
    /// cw20-base's `BALANCES`, `Map<&Addr, Uint128>`.
    pub const BALANCES: &str = "balance";
    /// cw20-base's `TOKEN_INFO`, `Item<`[`super::TokenInfo`]`>`.
    pub const TOKEN_INFO: &str = "token_info";
}

/// The token's record as cw20-base stores it (`cw20_base::state::TokenInfo`, the same
/// JSON, pinned in the gut-token contract's tests).
#[cw_serde]
pub struct TokenInfo {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    pub total_supply: Uint128,
    pub mint: Option<MinterData>,
}

/// Who may mint, and up to what total supply (`cw20_base::state::MinterData`).
#[cw_serde]
pub struct MinterData {
    pub minter: Addr,
    pub cap: Option<Uint128>,
}

impl TokenInfo {
    /// The CW20 `TokenInfo` query's answer.
    pub fn response(&self) -> cw20::TokenInfoResponse {
        cw20::TokenInfoResponse {
            name: self.name.clone(),
            symbol: self.symbol.clone(),
            decimals: self.decimals,
            total_supply: self.total_supply,
        }
    }

    /// The CW20 `Minter` query's answer.
    pub fn minter(&self) -> Option<cw20::MinterResponse> {
        self.mint.as_ref().map(|mint| cw20::MinterResponse {
            minter: mint.minter.to_string(),
            cap: mint.cap,
        })
    }
}

/// The token's name.
pub const NAME: &str = "GPUnion Token";
/// The token's ticker.
pub const SYMBOL: &str = "GUT";
/// Decimal places: amounts on chain are in `ugut`.
pub const DECIMALS: u8 = 6;
/// One GUT in `ugut`.
pub const UGUT_PER_GUT: u128 = 1_000_000;

/// Total-supply cap: 1,002,000,000 GUT.
pub const TOTAL_SUPPLY_CAP: Uint128 = Uint128::new(1_002_000_000 * UGUT_PER_GUT);
/// The 5% premined to the treasury at instantiation: 50,100,000 GUT.
pub const PREMINE: Uint128 = Uint128::new(TOTAL_SUPPLY_CAP.u128() / 20);
/// The 95% that only the minter (the mining contract) may emit: 951,900,000 GUT.
/// The token swap's allocation comes out of this share.
pub const MINABLE: Uint128 = Uint128::new(TOTAL_SUPPLY_CAP.u128() - PREMINE.u128());

/// Instantiates GUT. Name, symbol, decimals, cap and premine are fixed (the constants
/// above); only the accounts are chosen here.
#[cw_serde]
pub struct InstantiateMsg {
    /// Receives the 5% premine.
    pub treasury: String,
    /// May mint up to the cap; handed over to the mining contract with `UpdateMinter`.
    pub minter: String,
    /// The token-swap contract's initial balance, taken out of the minable 95%.
    pub token_swap: Option<TokenSwapAllocation>,
    /// Project, description, marketing account and logo.
    pub marketing: Option<Marketing>,
}

/// The balance the token-swap contract starts with.
#[cw_serde]
pub struct TokenSwapAllocation {
    /// The token-swap contract's address.
    pub address: String,
    /// Amount in ugut; non-zero and at most [`MINABLE`].
    pub amount: Uint128,
}

/// The token's marketing information at instantiation (cw20-base's
/// `InstantiateMarketingInfo`, the same JSON).
#[cw_serde]
pub struct Marketing {
    pub project: Option<String>,
    pub description: Option<String>,
    /// The account that may update the marketing information.
    pub marketing: Option<String>,
    pub logo: Option<cw20::Logo>,
}
