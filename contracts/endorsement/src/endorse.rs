//! Endorsers: stake GUT, attest provider attributes, revoke, unbond; the owner slashes
//! an endorser whose attestation was shown false.
//!
//! An attestation that stops counting (revoked, or lapsed because the provider declares
//! another value now) is retired, not forgotten: it stays slashable for its slash window
//! and the endorser's stake cannot be claimed before that ends, so nobody revokes, unbonds
//! and leaves ahead of a slash.

use cosmwasm_std::{
    Addr, Decimal, Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult, Uint128,
};
use cw_storage_plus::Bound;
use gpunion_interface::address;
use gpunion_interface::endorsement::{Attribute, Endorsement, Endorser};
use gpunion_interface::market::ProviderAttributes;
use gpunion_interface::stake::Bond;
use gpunion_interface::token::transfer;
use gpunion_interface::validate::{self, MAX_LABEL_LEN};

use crate::config::only_owner;
use crate::error::ContractError;
use crate::state::{
    CONFIG, Config, ENDORSEMENT_COUNT, ENDORSEMENTS, ENDORSERS, MAX_ENDORSEMENTS_PER_PROVIDER,
    RETIRED, Retired,
};
use crate::{market_query, recommend};

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 30;

pub fn execute_bond(
    deps: DepsMut,
    _env: Env,
    config: &Config,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut endorser = ENDORSERS
        .may_load(deps.storage, &sender)?
        .unwrap_or(Endorser {
            address: sender.clone(),
            stake: Uint128::zero(),
            unbonding_until: None,
            endorsements: 0,
            providers: 0,
            slashable_until: 0,
            slashed: Uint128::zero(),
        });
    endorser.add_stake(amount)?;
    if endorser.stake < config.params.min_endorser_stake {
        return Err(ContractError::StakeTooLow {
            stake: endorser.stake,
            min: config.params.min_endorser_stake,
        });
    }
    ENDORSERS.save(deps.storage, &sender, &endorser)?;
    Ok(Response::new()
        .add_attribute("action", "bond_endorser")
        .add_attribute("endorser", sender)
        .add_attribute("stake", endorser.stake))
}

/// The declared value an attestation of `attribute` must repeat.
fn declared(attributes: &ProviderAttributes, attribute: Attribute) -> String {
    match attribute {
        Attribute::GpuModel => attributes.gpu_model.clone(),
        Attribute::GpuCount => attributes.gpu_count.to_string(),
        Attribute::Memory => attributes.memory_mib.to_string(),
        Attribute::Region => attributes.region.country.clone(),
        Attribute::Hashrate => attributes.x16s_hashrate.to_string(),
    }
}

pub fn execute_endorse(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    provider: String,
    attribute: Attribute,
    claim: String,
) -> Result<Response, ContractError> {
    validate::bounded("claim", &claim, MAX_LABEL_LEN)?;
    let config = CONFIG.load(deps.storage)?;
    let provider = address::validate(deps.api, &provider)?;
    let mut endorser = active_endorser(deps.as_ref(), &config, &info.sender)?;
    let record = market_query::provider(deps.as_ref(), &config.market, &provider)?;
    let declared = declared(&record.provider.attributes, attribute);
    if !declared.eq_ignore_ascii_case(&claim) {
        return Err(ContractError::ClaimMismatch {
            attribute,
            claim,
            declared,
        });
    }
    let key = (&provider, attribute.key(), &info.sender);
    if ENDORSEMENTS.has(deps.storage, key) {
        return Err(ContractError::AlreadyEndorsed {
            provider,
            attribute,
        });
    }
    let count = ENDORSEMENT_COUNT
        .may_load(deps.storage, &provider)?
        .unwrap_or(0);
    if count >= MAX_ENDORSEMENTS_PER_PROVIDER {
        return Err(ContractError::TooManyEndorsements {
            provider,
            max: MAX_ENDORSEMENTS_PER_PROVIDER,
        });
    }
    let endorsement = Endorsement {
        endorser: info.sender.clone(),
        provider: provider.clone(),
        attribute,
        claim,
        endorsed_at: env.block.time.seconds(),
        slash_window_seconds: config.params.unbonding_seconds,
    };
    if !attests(deps.as_ref(), &provider, &info.sender)? {
        endorser.providers += 1;
    }
    ENDORSEMENTS.save(deps.storage, key, &endorsement)?;
    ENDORSEMENT_COUNT.save(deps.storage, &provider, &(count + 1))?;
    endorser.endorsements += 1;
    ENDORSERS.save(deps.storage, &info.sender, &endorser)?;
    recommend::reindex(deps.branch(), &env, &provider)?;
    Ok(Response::new()
        .add_attribute("action", "endorse")
        .add_attribute("provider", provider)
        .add_attribute("endorser", info.sender))
}

pub fn execute_revoke(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    provider: String,
    attribute: Attribute,
) -> Result<Response, ContractError> {
    let provider = address::validate(deps.api, &provider)?;
    let config = CONFIG.load(deps.storage)?;
    let endorsement = ENDORSEMENTS
        .may_load(deps.storage, (&provider, attribute.key(), &info.sender))?
        .ok_or_else(|| ContractError::EndorsementNotFound {
            endorser: info.sender.clone(),
            provider: provider.clone(),
            attribute,
        })?;
    let slashable_until = retire(deps.branch(), &config, &env, endorsement)?;
    recommend::reindex(deps, &env, &provider)?;
    Ok(Response::new()
        .add_attribute("action", "revoke")
        .add_attribute("provider", provider)
        .add_attribute("endorser", info.sender)
        .add_attribute("slashable_until", slashable_until.to_string()))
}

/// Retires the attestations of `provider` whose claim no longer matches what it
/// declares: an attestation binds the value it attested, and a provider changing the
/// value (even back again) does not carry the endorser's word over.
pub fn lapse_changed(
    mut deps: DepsMut,
    env: &Env,
    provider: &Addr,
    attributes: &ProviderAttributes,
) -> Result<(), ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let attested: Vec<Endorsement> = ENDORSEMENTS
        .sub_prefix(provider)
        .range(deps.storage, None, None, Order::Ascending)
        .map(|item| item.map(|(_, endorsement)| endorsement))
        .collect::<StdResult<_>>()?;
    for endorsement in attested {
        if !declared(attributes, endorsement.attribute).eq_ignore_ascii_case(&endorsement.claim) {
            retire(deps.branch(), &config, env, endorsement)?;
        }
    }
    Ok(())
}

/// Moves an attestation out of the count into the retired records, slashable until
/// `now` + the longer of its slash window and the current unbonding period (returned);
/// the endorser's stake is held at least as long.
fn retire(
    deps: DepsMut,
    config: &Config,
    env: &Env,
    endorsement: Endorsement,
) -> Result<u64, ContractError> {
    // Owned copies: the record itself moves into RETIRED at the end.
    let provider = &endorsement.provider.clone();
    let endorser_addr = &endorsement.endorser.clone();
    let key = (provider, endorsement.attribute.key(), endorser_addr);
    ENDORSEMENTS.remove(deps.storage, key);
    let count = ENDORSEMENT_COUNT.load(deps.storage, provider)?;
    ENDORSEMENT_COUNT.save(deps.storage, provider, &(count - 1))?;
    let window = endorsement
        .slash_window_seconds
        .max(config.params.unbonding_seconds);
    let slashable_until = env.block.time.seconds().saturating_add(window);
    let mut endorser = ENDORSERS.load(deps.storage, endorser_addr)?;
    endorser.endorsements -= 1;
    if !attests(deps.as_ref(), provider, endorser_addr)? {
        endorser.providers -= 1;
    }
    endorser.slashable_until = endorser.slashable_until.max(slashable_until);
    ENDORSERS.save(deps.storage, endorser_addr, &endorser)?;
    RETIRED.save(
        deps.storage,
        key,
        &Retired {
            endorsement,
            slashable_until,
        },
    )?;
    Ok(slashable_until)
}

/// Whether `endorser` has an attestation of `provider` that counts (one read per
/// attribute).
fn attests(deps: Deps, provider: &Addr, endorser: &Addr) -> StdResult<bool> {
    Ok(Attribute::ALL
        .iter()
        .any(|attribute| ENDORSEMENTS.has(deps.storage, (provider, attribute.key(), endorser))))
}

#[allow(clippy::too_many_arguments)]
pub fn execute_slash(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    endorser: String,
    provider: String,
    attribute: Attribute,
    fraction: Decimal,
) -> Result<Response, ContractError> {
    let config = only_owner(deps.as_ref(), &info)?;
    if fraction.is_zero() || fraction > Decimal::one() {
        return Err(ContractError::ParamOutOfBounds {
            name: "fraction",
            value: fraction.to_string(),
            min: "0 (exclusive)".into(),
            max: "1".into(),
        });
    }
    let endorser_addr = address::validate(deps.api, &endorser)?;
    let provider = address::validate(deps.api, &provider)?;
    let key = (&provider, attribute.key(), &endorser_addr);
    let now = env.block.time.seconds();
    let slashable = match ENDORSEMENTS.may_load(deps.storage, key)? {
        Some(endorsement) => {
            // Retired first (the count and the index follow), then taken out.
            retire(deps.branch(), &config, &env, endorsement)?;
            true
        }
        None => RETIRED
            .may_load(deps.storage, key)?
            .is_some_and(|retired| now < retired.slashable_until),
    };
    if !slashable {
        return Err(ContractError::EndorsementNotFound {
            endorser: endorser_addr,
            provider,
            attribute,
        });
    }
    RETIRED.remove(deps.storage, key);
    let mut record = ENDORSERS.load(deps.storage, &endorser_addr)?;
    let slash = record.stake.mul_floor(fraction);
    record.stake = record.stake.checked_sub(slash)?;
    record.slashed = record.slashed.checked_add(slash)?;
    ENDORSERS.save(deps.storage, &endorser_addr, &record)?;
    recommend::reindex(deps, &env, &provider)?;
    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &config.treasury, slash))
        .add_attribute("action", "slash")
        .add_attribute("endorser", endorser_addr)
        .add_attribute("provider", provider)
        .add_attribute("amount", slash))
}

pub fn execute_unbond(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut endorser = active_endorser(deps.as_ref(), &config, &info.sender)?;
    if endorser.endorsements > 0 {
        return Err(ContractError::HasEndorsements {
            address: info.sender,
            count: endorser.endorsements,
        });
    }
    let until =
        endorser.start_unbonding(env.block.time.seconds(), config.params.unbonding_seconds)?;
    ENDORSERS.save(deps.storage, &info.sender, &endorser)?;
    Ok(Response::new()
        .add_attribute("action", "unbond")
        .add_attribute("endorser", info.sender)
        .add_attribute("unbonding_until", until.to_string()))
}

pub fn execute_claim_stake(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let endorser = ENDORSERS
        .may_load(deps.storage, &info.sender)?
        .ok_or_else(|| ContractError::NotEndorser {
            address: info.sender.clone(),
        })?;
    let now = env.block.time.seconds();
    let stake = endorser.claimable(now)?;
    // Unbonding cannot outrun a pending slash of a revoked or lapsed attestation.
    if now < endorser.slashable_until {
        return Err(ContractError::StillUnbonding {
            until: endorser.slashable_until,
            now,
        });
    }
    ENDORSERS.remove(deps.storage, &info.sender);
    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &info.sender, stake))
        .add_attribute("action", "claim_stake")
        .add_attribute("endorser", info.sender)
        .add_attribute("amount", stake))
}

/// A bonded endorser with at least the minimum stake, not unbonding.
fn active_endorser(deps: Deps, config: &Config, address: &Addr) -> Result<Endorser, ContractError> {
    let endorser =
        ENDORSERS
            .may_load(deps.storage, address)?
            .ok_or_else(|| ContractError::NotEndorser {
                address: address.clone(),
            })?;
    endorser.ensure_bonded()?;
    if endorser.stake < config.params.min_endorser_stake {
        return Err(ContractError::StakeTooLow {
            stake: endorser.stake,
            min: config.params.min_endorser_stake,
        });
    }
    Ok(endorser)
}

pub fn query_endorser(deps: Deps, address: String) -> StdResult<Option<Endorser>> {
    let address = deps.api.addr_validate(&address)?;
    ENDORSERS.may_load(deps.storage, &address)
}

pub fn query_endorsements(
    deps: Deps,
    provider: String,
    start_after: Option<(Attribute, String)>,
    limit: Option<u32>,
) -> StdResult<Vec<Endorsement>> {
    let provider = deps.api.addr_validate(&provider)?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    let start = match &start_after {
        Some((attribute, endorser)) => Some((attribute.key(), deps.api.addr_validate(endorser)?)),
        None => None,
    };
    ENDORSEMENTS
        .sub_prefix(&provider)
        .range(
            deps.storage,
            start.as_ref().map(|(a, e)| Bound::exclusive((*a, e))),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|item| item.map(|(_, endorsement)| endorsement))
        .collect()
}
