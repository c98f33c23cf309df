//! What the endorsement contract reads from the market: its records of providers and
//! leases; a record the market does not have is this contract's typed error.

use cosmwasm_std::{Addr, Deps};
use gpunion_interface::market::{LeaseResponse, ProviderResponse, QueryMsg};

use crate::error::ContractError;

/// The market's record of `provider`, or `ProviderNotFound`.
pub fn provider(
    deps: Deps,
    market: &Addr,
    provider: &Addr,
) -> Result<ProviderResponse, ContractError> {
    let found: Option<ProviderResponse> = deps.querier.query_wasm_smart(
        market,
        &QueryMsg::Provider {
            address: provider.to_string(),
        },
    )?;
    found.ok_or_else(|| ContractError::ProviderNotFound {
        address: provider.to_string(),
    })
}

/// The market's lease `id`, or `LeaseNotFound`.
pub fn lease(deps: Deps, market: &Addr, id: u64) -> Result<LeaseResponse, ContractError> {
    let found: Option<LeaseResponse> = deps
        .querier
        .query_wasm_smart(market, &QueryMsg::Lease { id })?;
    found.ok_or(ContractError::LeaseNotFound { id })
}
