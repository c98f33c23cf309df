//! The configuration: who may change it, and which parameters it accepts.

use cosmwasm_std::{Decimal, Deps, MessageInfo};
use gpunion_interface::market::{MarketParams, ParamBounds};

use crate::error::ContractError;
use crate::state::{CONFIG, Config};

/// The configuration, if `info` comes from its owner.
pub fn only_owner(deps: Deps, info: &MessageInfo) -> Result<Config, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.owner {
        return Err(ContractError::NotOwner);
    }
    Ok(config)
}

fn check_range(
    name: &'static str,
    value: u64,
    (min, max): (u64, u64),
) -> Result<(), ContractError> {
    if value < min || value > max {
        return Err(ContractError::ParamOutOfBounds {
            name,
            value: value.to_string(),
            min: min.to_string(),
            max: max.to_string(),
        });
    }
    Ok(())
}

/// Parameters within [`ParamBounds`].
pub fn validate_params(params: &MarketParams) -> Result<(), ContractError> {
    if params.min_stake.is_zero() {
        return Err(ContractError::ZeroAmount { what: "min_stake" });
    }
    check_range(
        "heartbeat_grace_seconds",
        params.heartbeat_grace_seconds,
        ParamBounds::HEARTBEAT_GRACE,
    )?;
    check_range(
        "accept_window_seconds",
        params.accept_window_seconds,
        ParamBounds::ACCEPT_WINDOW,
    )?;
    check_range(
        "unbonding_seconds",
        params.unbonding_seconds,
        ParamBounds::UNBONDING,
    )?;
    check_range(
        "max_lease_seconds",
        params.max_lease_seconds,
        ParamBounds::MAX_LEASE,
    )?;
    if params.slash_fraction > Decimal::one() {
        return Err(ContractError::ParamOutOfBounds {
            name: "slash_fraction",
            value: params.slash_fraction.to_string(),
            min: "0".into(),
            max: "1".into(),
        });
    }
    let max_fee = Decimal::permille(ParamBounds::MAX_PROTOCOL_FEE_PERMILLE);
    if params.protocol_fee > max_fee {
        return Err(ContractError::ParamOutOfBounds {
            name: "protocol_fee",
            value: params.protocol_fee.to_string(),
            min: "0".into(),
            max: max_fee.to_string(),
        });
    }
    Ok(())
}
