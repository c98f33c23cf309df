//! The configuration: who may change it, and which parameters it accepts.

use cosmwasm_std::{Decimal, Deps, MessageInfo};
use gpunion_interface::bounds::check_range;
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

/// Parameters within [`ParamBounds`].
pub fn validate_params(params: &MarketParams) -> Result<(), ContractError> {
    if params.min_stake.is_zero() {
        return Err(ContractError::ZeroAmount { what: "min_stake" });
    }
    if params.check_fee.is_zero() {
        return Err(ContractError::ZeroAmount { what: "check_fee" });
    }
    check_range(
        "check_window_seconds",
        params.check_window_seconds,
        ParamBounds::CHECK_WINDOW,
    )?;
    check_range(
        "heartbeat_grace_seconds",
        params.heartbeat_grace_seconds,
        ParamBounds::HEARTBEAT_GRACE,
    )?;
    check_range(
        "heartbeat_grace_blocks",
        params.heartbeat_grace_blocks,
        ParamBounds::HEARTBEAT_GRACE_BLOCKS,
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
    check_range(
        "slash_fraction",
        params.slash_fraction,
        (Decimal::zero(), Decimal::one()),
    )?;
    check_range(
        "protocol_fee",
        params.protocol_fee,
        (
            Decimal::zero(),
            Decimal::permille(ParamBounds::MAX_PROTOCOL_FEE_PERMILLE),
        ),
    )?;
    Ok(())
}
