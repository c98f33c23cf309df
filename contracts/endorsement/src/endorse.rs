//! Endorsers: stake GUT, attest provider attributes, revoke, unbond; the owner slashes
//! an endorser whose attestation was shown false.

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
    };
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
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    provider: String,
    attribute: Attribute,
) -> Result<Response, ContractError> {
    let provider = address::validate(deps.api, &provider)?;
    remove_endorsement(
        deps,
        &env,
        &info.sender,
        &provider,
        attribute,
        Uint128::zero(),
    )?;
    Ok(Response::new()
        .add_attribute("action", "revoke")
        .add_attribute("provider", provider)
        .add_attribute("endorser", info.sender))
}

#[allow(clippy::too_many_arguments)]
pub fn execute_slash(
    deps: DepsMut,
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
    let endorser = address::validate(deps.api, &endorser)?;
    let provider = address::validate(deps.api, &provider)?;
    let stake = ENDORSERS
        .may_load(deps.storage, &endorser)?
        .ok_or_else(|| ContractError::NotEndorser {
            address: endorser.clone(),
        })?
        .stake;
    let slash = stake.mul_floor(fraction);
    remove_endorsement(deps, &env, &endorser, &provider, attribute, slash)?;
    Ok(Response::new()
        .add_messages(transfer(&config.gut_token, &config.treasury, slash))
        .add_attribute("action", "slash")
        .add_attribute("endorser", endorser)
        .add_attribute("provider", provider)
        .add_attribute("amount", slash))
}

/// Removes one attestation, takes `slash` from the endorser's stake, and reindexes.
fn remove_endorsement(
    mut deps: DepsMut,
    env: &Env,
    endorser_addr: &Addr,
    provider: &Addr,
    attribute: Attribute,
    slash: Uint128,
) -> Result<(), ContractError> {
    let key = (provider, attribute.key(), endorser_addr);
    if !ENDORSEMENTS.has(deps.storage, key) {
        return Err(ContractError::EndorsementNotFound {
            endorser: endorser_addr.clone(),
            provider: provider.clone(),
            attribute,
        });
    }
    ENDORSEMENTS.remove(deps.storage, key);
    let count = ENDORSEMENT_COUNT.load(deps.storage, provider)?;
    ENDORSEMENT_COUNT.save(deps.storage, provider, &(count - 1))?;
    let mut endorser = ENDORSERS.load(deps.storage, endorser_addr)?;
    endorser.endorsements -= 1;
    endorser.stake = endorser.stake.checked_sub(slash)?;
    endorser.slashed = endorser.slashed.checked_add(slash)?;
    ENDORSERS.save(deps.storage, endorser_addr, &endorser)?;
    recommend::reindex(deps.branch(), env, provider)?;
    Ok(())
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
    let stake = endorser.claimable(env.block.time.seconds())?;
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
