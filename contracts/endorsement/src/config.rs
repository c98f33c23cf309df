//! The configuration: who may change it, and which parameters it accepts.

use cosmwasm_std::{Deps, MessageInfo};
use gpunion_interface::bounds::check_range;
use gpunion_interface::endorsement::EndorsementParams;

use crate::error::ContractError;
use crate::state::{CONFIG, Config};

/// Limits on the parameters: half-life from a day to five years, unbonding up to 60 days.
pub const HALF_LIFE_BOUNDS: (u64, u64) = (86_400, 5 * 365 * 86_400);
pub const UNBONDING_BOUNDS: (u64, u64) = (0, 60 * 86_400);

/// The configuration, if `info` comes from its owner.
pub fn only_owner(deps: Deps, info: &MessageInfo) -> Result<Config, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.owner {
        return Err(ContractError::NotOwner);
    }
    Ok(config)
}

/// Non-zero amounts, and times within [`HALF_LIFE_BOUNDS`] and [`UNBONDING_BOUNDS`].
pub fn validate_params(params: &EndorsementParams) -> Result<(), ContractError> {
    for (what, value) in [
        ("min_endorser_stake", params.min_endorser_stake),
        ("prior_weight", params.prior_weight),
        ("max_rating_weight", params.max_rating_weight),
        ("full_endorsement_stake", params.full_endorsement_stake),
    ] {
        if value.is_zero() {
            return Err(ContractError::ZeroAmount { what });
        }
    }
    check_range(
        "rating_half_life_seconds",
        params.rating_half_life_seconds,
        HALF_LIFE_BOUNDS,
    )?;
    check_range(
        "unbonding_seconds",
        params.unbonding_seconds,
        UNBONDING_BOUNDS,
    )?;
    Ok(())
}
