//! Queries. Every list is paginated and reads a bounded number of records.

use cosmwasm_std::{Addr, Deps, Order, StdResult};
use cw_storage_plus::{Bound, Map};
use gpunion_interface::market::check::{AssignedCheck, Check, CheckPoolResponse, ChecksResponse};
use gpunion_interface::market::{
    ChainTime, ConfigResponse, EscrowTotals, LeaseResponse, LeasesResponse, Provider,
    ProviderFilter, ProviderResponse, ProviderStatus, ProvidersResponse, page,
};

use crate::hashrate;
use crate::state::{
    CHECK_POOL_SIZE, CHECKS, CHECKS_BY_ASSIGNEE, CONFIG, LEASES, LEASES_BY_CUSTOMER,
    LEASES_BY_PROVIDER, NEXT_LEASE_ID, PROVIDERS, TOTALS, status,
};

/// Most provider records one `Providers` query reads, whatever the filter.
pub const MAX_SCAN: usize = 100;

pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    Ok(CONFIG
        .load(deps.storage)?
        .response(NEXT_LEASE_ID.load(deps.storage)?))
}

/// One provider with its status; `None` when `address` is not registered.
pub fn provider(deps: Deps, at: ChainTime, address: String) -> StdResult<Option<ProviderResponse>> {
    let address = deps.api.addr_validate(&address)?;
    PROVIDERS
        .may_load(deps.storage, &address)?
        .map(|provider| describe(deps, at, provider))
        .transpose()
}

/// The provider with its status, reliability and proven hashrate.
fn describe(deps: Deps, at: ChainTime, provider: Provider) -> StdResult<ProviderResponse> {
    let config = CONFIG.load(deps.storage)?;
    let status = status(deps.storage, &provider, config.params.heartbeat_grace(), at)?;
    with_proof(deps, config.mining.as_ref(), provider, status)
}

/// The provider with `status`, its reliability and, when the market knows a mining
/// contract (`mining`), its proven hashrate (one smart query).
fn with_proof(
    deps: Deps,
    mining: Option<&Addr>,
    provider: Provider,
    status: ProviderStatus,
) -> StdResult<ProviderResponse> {
    let hashrate = mining
        .map(|mining| hashrate::proof(deps, mining, &provider))
        .transpose()?;
    Ok(ProviderResponse {
        reliability_permille: provider.stats.reliability_permille(),
        provider,
        status,
        hashrate,
    })
}

pub fn providers(
    deps: Deps,
    at: ChainTime,
    filter: ProviderFilter,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<ProvidersResponse> {
    let limit = page(limit);
    if limit == 0 {
        return Ok(ProvidersResponse {
            providers: Vec::new(),
            next_start_after: start_after,
        });
    }
    let start_after = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let start = start_after.as_ref().map(Bound::exclusive);
    let model = filter.gpu_model.as_ref().map(|m| m.to_lowercase());
    let config = CONFIG.load(deps.storage)?;
    let grace = config.params.heartbeat_grace();
    let mut providers = Vec::new();
    let mut last_read: Option<Addr> = None;
    let mut scanned = 0;
    for item in PROVIDERS.range(deps.storage, start, None, Order::Ascending) {
        let (address, provider) = item?;
        scanned += 1;
        last_read = Some(address);
        let attrs = &provider.attributes;
        let matches = model
            .as_ref()
            .is_none_or(|m| attrs.gpu_model.to_lowercase() == *m)
            && filter.min_memory_mib.is_none_or(|m| attrs.memory_mib >= m)
            && filter
                .country
                .as_ref()
                .is_none_or(|c| attrs.region.country == *c)
            && filter
                .max_price_per_hour
                .is_none_or(|p| attrs.price_per_hour <= p)
            && filter
                .workload
                .as_ref()
                .is_none_or(|k| attrs.workloads.contains(k));
        if matches {
            // The status filter first: only providers returned cost a mining query.
            let status = status(deps.storage, &provider, grace, at)?;
            if filter.status.is_none_or(|s| s == status) {
                providers.push(with_proof(deps, config.mining.as_ref(), provider, status)?);
            }
        }
        if providers.len() >= limit || scanned >= MAX_SCAN {
            break;
        }
    }
    // More may follow if the scan stopped early; an extra read tells whether it did.
    let next_start_after = match &last_read {
        Some(last)
            if PROVIDERS
                .range(
                    deps.storage,
                    Some(Bound::exclusive(last)),
                    None,
                    Order::Ascending,
                )
                .next()
                .is_some() =>
        {
            Some(last.to_string())
        }
        _ => None,
    };
    Ok(ProvidersResponse {
        providers,
        next_start_after,
    })
}

/// One lease with what it has earned; `None` when there is no lease `id`.
pub fn lease(deps: Deps, now: u64, id: u64) -> StdResult<Option<LeaseResponse>> {
    let Some(lease) = LEASES.may_load(deps.storage, id)? else {
        return Ok(None);
    };
    let last_heartbeat = if lease.state.is_final() {
        0
    } else {
        PROVIDERS
            .load(deps.storage, &lease.provider)?
            .last_heartbeat
    };
    Ok(Some(LeaseResponse::at(lease, last_heartbeat, now)))
}

pub fn leases_by_customer(
    deps: Deps,
    customer: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<LeasesResponse> {
    let customer = deps.api.addr_validate(&customer)?;
    leases_in(deps, LEASES_BY_CUSTOMER, &customer, start_after, limit)
}

pub fn leases_by_provider(
    deps: Deps,
    provider: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<LeasesResponse> {
    let provider = deps.api.addr_validate(&provider)?;
    leases_in(deps, LEASES_BY_PROVIDER, &provider, start_after, limit)
}

fn leases_in(
    deps: Deps,
    index: Map<(&Addr, u64), ()>,
    owner: &Addr,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<LeasesResponse> {
    let limit = page(limit);
    let leases = index
        .prefix(owner)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|id| LEASES.load(deps.storage, id?))
        .collect::<StdResult<_>>()?;
    Ok(LeasesResponse { leases })
}

pub fn escrow_totals(deps: Deps) -> StdResult<EscrowTotals> {
    TOTALS.load(deps.storage)
}

pub fn check(deps: Deps, lease_id: u64) -> StdResult<Option<Check>> {
    CHECKS.may_load(deps.storage, lease_id)
}

pub fn checks_assigned(
    deps: Deps,
    address: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ChecksResponse> {
    let address = deps.api.addr_validate(&address)?;
    let checks = CHECKS_BY_ASSIGNEE
        .prefix(&address)
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page(limit))
        .map(|id| {
            let id = id?;
            let lease = LEASES.load(deps.storage, id)?;
            let result = lease.result;
            Ok(AssignedCheck {
                check: CHECKS.load(deps.storage, id)?,
                workload_cid: lease.workload.cid,
                result_cid: result.as_ref().map(|r| r.cid.clone()),
                provider_root: result.and_then(|r| r.trace_root),
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ChecksResponse { checks })
}

pub fn check_pool(deps: Deps) -> StdResult<CheckPoolResponse> {
    Ok(CheckPoolResponse {
        size: CHECK_POOL_SIZE.may_load(deps.storage)?.unwrap_or(0),
    })
}
