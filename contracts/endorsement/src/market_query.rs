//! What the endorsement contract reads from the market: its records of providers and
//! leases; a record the market does not have is this contract's typed error.

use cosmwasm_std::{Addr, Deps, StdResult};
use cw_storage_plus::Map;
use gpunion_interface::market::{
    ChainTime, ConfigResponse, HeartbeatGrace, LeaseResponse, Provider, ProviderResponse, QueryMsg,
    storage,
};

use crate::error::ContractError;

/// The market's provider records, read raw (no call into the market): cheap enough to
/// skip dead index entries without spending a market query on each.
const MARKET_PROVIDERS: Map<&Addr, Provider> = Map::new(storage::PROVIDERS);

/// The grace under which the market calls a provider Disconnect now.
pub fn heartbeat_grace(deps: Deps, market: &Addr) -> StdResult<HeartbeatGrace> {
    let config: ConfigResponse = deps
        .querier
        .query_wasm_smart(market, &QueryMsg::Config {})?;
    Ok(config.params.heartbeat_grace())
}

/// Whether the market has `provider` taking leases at `at`: registered, not paused, not
/// Disconnect (the liveness rule of `gpunion_interface::market`), from its raw record.
pub fn takes_leases(
    deps: Deps,
    market: &Addr,
    provider: &Addr,
    grace: HeartbeatGrace,
    at: ChainTime,
) -> StdResult<bool> {
    let record = MARKET_PROVIDERS.query(&deps.querier, market.clone(), provider)?;
    Ok(record.is_some_and(|record| !record.paused && !record.is_disconnected(grace, at)))
}

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
