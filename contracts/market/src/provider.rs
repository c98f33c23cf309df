//! Provider handlers: registration with a stake, attributes, pause, heartbeats, leaving.

use cosmwasm_std::{Addr, Deps, DepsMut, Env, MessageInfo, Response, Uint128};
use gpunion_interface::address;
use gpunion_interface::market::{Provider, ProviderAttributes, ProviderStats, WorkloadKind};
use gpunion_interface::stake::Bond;
use gpunion_interface::token::transfer;
use gpunion_interface::validate::{
    self, MAX_FEATURES, MAX_GPU_COUNT, MAX_LABEL_LEN, MAX_MULTIADDRS,
};

use crate::check;
use crate::error::ContractError;
use crate::index::index;
use crate::state::{CONFIG, Config, MINING_LINKS, PROVIDERS, TOTALS, chain_time};

pub fn execute_register(
    deps: DepsMut,
    env: Env,
    config: &Config,
    sender: Addr,
    stake: Uint128,
    attributes: ProviderAttributes,
) -> Result<Response, ContractError> {
    validate_attributes(deps.as_ref(), &sender, &attributes)?;
    if stake < config.params.min_stake {
        return Err(ContractError::StakeTooLow {
            sent: stake,
            min: config.params.min_stake,
        });
    }
    if PROVIDERS.has(deps.storage, &sender) {
        return Err(ContractError::AlreadyRegistered { address: sender });
    }
    let now = env.block.time.seconds();
    let provider = Provider {
        address: sender.clone(),
        attributes,
        stake,
        registered_at: now,
        last_heartbeat: now,
        last_heartbeat_height: env.block.height,
        paused: false,
        unbonding_until: None,
        open_leases: 0,
        active_leases: 0,
        active_grace: None,
        stats: ProviderStats::default(),
        in_check_pool: false,
        open_checks: 0,
    };
    PROVIDERS.save(deps.storage, &sender, &provider)?;
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.stakes = totals.stakes.checked_add(stake)?;
        Ok(totals)
    })?;
    Ok(Response::new()
        .add_submessages(index(config, &sender)?)
        .add_attribute("action", "register")
        .add_attribute("provider", sender)
        .add_attribute("stake", stake))
}

pub fn execute_top_up(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut provider = load_provider(&deps, &sender)?;
    provider.add_stake(amount)?;
    PROVIDERS.save(deps.storage, &sender, &provider)?;
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.stakes = totals.stakes.checked_add(amount)?;
        Ok(totals)
    })?;
    Ok(Response::new()
        .add_attribute("action", "top_up_stake")
        .add_attribute("provider", sender)
        .add_attribute("stake", provider.stake))
}

pub fn execute_update(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    attributes: ProviderAttributes,
) -> Result<Response, ContractError> {
    validate_attributes(deps.as_ref(), &info.sender, &attributes)?;
    let mut provider = load_provider(&deps, &info.sender)?;
    if attributes.gpu_count != provider.attributes.gpu_count && provider.open_leases > 0 {
        return Err(ContractError::GpuCountLocked {
            open: provider.open_leases,
        });
    }
    provider.attributes = attributes;
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_submessages(index(&config, &info.sender)?)
        .add_attribute("action", "update_provider")
        .add_attribute("provider", info.sender))
}

pub fn execute_set_paused(
    deps: DepsMut,
    info: MessageInfo,
    paused: bool,
) -> Result<Response, ContractError> {
    let mut provider = load_provider(&deps, &info.sender)?;
    provider.paused = paused;
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    Ok(Response::new()
        .add_attribute("action", if paused { "pause" } else { "resume" })
        .add_attribute("provider", info.sender))
}

pub fn execute_heartbeat(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let mut provider = load_provider(&deps, &info.sender)?;
    provider.ensure_bonded()?;
    let at = chain_time(&env);
    // Lapsed under the strictest grace of its Active leases, one of them may be
    // expirable: crediting the silence to it now would pay for time not covered.
    if let Some(grace) = provider.active_grace
        && provider.heartbeat_lapsed(grace, at)
    {
        return Err(ContractError::ExpireLeasesFirst {
            active: provider.active_leases,
        });
    }
    let config = CONFIG.load(deps.storage)?;
    // Back from Disconnect: the index may have shed it.
    let returning = provider.is_disconnected(config.params.heartbeat_grace(), at);
    provider.last_heartbeat = at.seconds;
    provider.last_heartbeat_height = at.height;
    provider.stats.heartbeats += 1;
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    let reindex = if returning {
        index(&config, &info.sender)?
    } else {
        None
    };
    Ok(Response::new()
        .add_submessages(reindex)
        .add_attribute("action", "heartbeat")
        .add_attribute("provider", info.sender))
}

pub fn execute_leave(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut provider = load_provider(&deps, &info.sender)?;
    provider.ensure_bonded()?;
    if provider.open_leases > 0 {
        return Err(ContractError::HasOpenLeases {
            address: info.sender,
            open: provider.open_leases,
        });
    }
    ensure_no_open_checks(&provider)?;
    let until =
        provider.start_unbonding(env.block.time.seconds(), config.params.unbonding_seconds)?;
    if provider.in_check_pool {
        check::leave_pool(deps.storage, &mut provider)?;
    }
    PROVIDERS.save(deps.storage, &info.sender, &provider)?;
    Ok(Response::new()
        .add_submessages(index(&config, &info.sender)?)
        .add_attribute("action", "leave")
        .add_attribute("provider", info.sender)
        .add_attribute("unbonding_until", until.to_string()))
}

pub fn execute_claim_stake(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let provider = load_provider(&deps, &info.sender)?;
    let stake = provider.claimable(env.block.time.seconds())?;
    ensure_no_open_checks(&provider)?;
    PROVIDERS.remove(deps.storage, &info.sender);
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.stakes = totals.stakes.checked_sub(stake)?;
        Ok(totals)
    })?;
    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &info.sender, stake))
        .add_attribute("action", "claim_stake")
        .add_attribute("provider", info.sender)
        .add_attribute("amount", stake))
}

/// A miner consents to `provider` naming it as `mining_address`. One provider at a
/// time: a provider the miner consented to before loses the link.
pub fn execute_consent_mining_link(
    deps: DepsMut,
    info: MessageInfo,
    provider: String,
) -> Result<Response, ContractError> {
    let provider = address::validate(deps.api, &provider)?;
    let miner = info.sender;
    if let Some(previous) = MINING_LINKS.may_load(deps.storage, &miner)?
        && previous != provider
        && let Some(mut record) = PROVIDERS.may_load(deps.storage, &previous)?
        && record.attributes.mining_address.as_deref() == Some(miner.as_str())
    {
        record.attributes.mining_address = None;
        PROVIDERS.save(deps.storage, &previous, &record)?;
    }
    MINING_LINKS.save(deps.storage, &miner, &provider)?;
    Ok(Response::new()
        .add_attribute("action", "consent_mining_link")
        .add_attribute("miner", miner)
        .add_attribute("provider", provider))
}

/// A provider a check may still pay or slash cannot leave or take its stake.
fn ensure_no_open_checks(provider: &Provider) -> Result<(), ContractError> {
    if provider.open_checks > 0 {
        return Err(ContractError::HasOpenChecks {
            address: provider.address.clone(),
            open: provider.open_checks,
        });
    }
    Ok(())
}

pub(crate) fn load_provider(deps: &DepsMut, address: &Addr) -> Result<Provider, ContractError> {
    PROVIDERS
        .may_load(deps.storage, address)?
        .ok_or_else(|| ContractError::ProviderNotFound {
            address: address.to_string(),
        })
}

/// The declared attributes' limits (see `gpunion_interface::validate`), and that a
/// `mining_address` other than `provider`'s own has consented to vouch for it.
pub(crate) fn validate_attributes(
    deps: Deps,
    provider: &Addr,
    attributes: &ProviderAttributes,
) -> Result<(), ContractError> {
    validate::bounded("gpu model", &attributes.gpu_model, MAX_LABEL_LEN)?;
    if attributes.gpu_count == 0 {
        return Err(ContractError::ZeroAmount { what: "gpu_count" });
    }
    if attributes.gpu_count > MAX_GPU_COUNT {
        return Err(validate::InputError::TooMany {
            field: "gpu count",
            count: attributes.gpu_count as usize,
            max: MAX_GPU_COUNT as usize,
        }
        .into());
    }
    if attributes.memory_mib == 0 {
        return Err(ContractError::ZeroAmount { what: "memory_mib" });
    }
    if attributes.price_per_hour.is_zero() {
        return Err(ContractError::ZeroAmount {
            what: "price_per_hour",
        });
    }
    let compute = &attributes.compute;
    validate::bounded("backend", &compute.backend, MAX_LABEL_LEN)?;
    validate::count("features", compute.features.len(), MAX_FEATURES)?;
    for feature in &compute.features {
        validate::bounded("feature", feature, MAX_LABEL_LEN)?;
    }
    validate::country(&attributes.region.country)?;
    validate::geohash(&attributes.region.geohash)?;
    validate::peer_id(&attributes.peer_id)?;
    validate::count("multiaddrs", attributes.multiaddrs.len(), MAX_MULTIADDRS)?;
    if attributes.workloads.is_empty() {
        return Err(ContractError::ZeroAmount { what: "workloads" });
    }
    validate::count("workloads", attributes.workloads.len(), WorkloadKind::COUNT)?;
    for addr in &attributes.multiaddrs {
        validate::multiaddr(addr)?;
    }
    if let Some(miner) = &attributes.mining_address {
        let miner = address::validate(deps.api, miner)?;
        let consented = miner == *provider
            || MINING_LINKS.may_load(deps.storage, &miner)?.as_ref() == Some(provider);
        if !consented {
            return Err(ContractError::MiningLinkNotConsented {
                miner,
                provider: provider.clone(),
            });
        }
    }
    Ok(())
}
