#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, Uint128};
use cw20::{Cw20Coin, MinterResponse};
use cw20_base::contract as base;

use gpunion_interface::address::validate;

use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg};
use crate::supply::{DECIMALS, MINABLE, NAME, PREMINE, SYMBOL, TOTAL_SUPPLY_CAP};

const CONTRACT_NAME: &str = "crates.io:gut-token";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let treasury = validate(deps.api, &msg.treasury)?.into_string();
    let minter = validate(deps.api, &msg.minter)?.into_string();

    let mut initial_balances = vec![Cw20Coin {
        address: treasury.clone(),
        amount: PREMINE,
    }];
    if let Some(swap) = &msg.token_swap {
        let address = validate(deps.api, &swap.address)?.into_string();
        ensure_nonzero("token swap allocation", swap.amount)?;
        if swap.amount > MINABLE {
            return Err(ContractError::SwapAllocationTooLarge {
                requested: swap.amount,
                minable: MINABLE,
            });
        }
        if address == treasury {
            return Err(ContractError::TreasuryIsTokenSwap { address });
        }
        initial_balances.push(Cw20Coin {
            address,
            amount: swap.amount,
        });
    }

    let base_msg = cw20_base::msg::InstantiateMsg {
        name: NAME.to_string(),
        symbol: SYMBOL.to_string(),
        decimals: DECIMALS,
        initial_balances,
        mint: Some(MinterResponse {
            minter,
            cap: Some(TOTAL_SUPPLY_CAP),
        }),
        marketing: msg
            .marketing
            .map(|m| cw20_base::msg::InstantiateMarketingInfo {
                project: m.project,
                description: m.description,
                marketing: m.marketing,
                logo: m.logo,
            }),
    };
    let response = base::instantiate(deps.branch(), env, info, base_msg)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(response
        .add_attribute("action", "instantiate")
        .add_attribute("treasury", treasury)
        .add_attribute("premine", PREMINE))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    check_gut_rules(&msg)?;
    Ok(base::execute(deps, env, info, msg)?)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    base::query(deps, env, msg)
}

/// The rules GUT adds on top of CW20, checked before cw20-base runs the message.
fn check_gut_rules(msg: &ExecuteMsg) -> Result<(), ContractError> {
    match msg {
        ExecuteMsg::Transfer { amount, .. } => ensure_nonzero("transfer", *amount),
        ExecuteMsg::TransferFrom { amount, .. } => ensure_nonzero("transfer", *amount),
        ExecuteMsg::Send { amount, .. } => ensure_nonzero("send", *amount),
        ExecuteMsg::SendFrom { amount, .. } => ensure_nonzero("send", *amount),
        ExecuteMsg::Burn { amount } => ensure_nonzero("burn", *amount),
        ExecuteMsg::BurnFrom { amount, .. } => ensure_nonzero("burn", *amount),
        ExecuteMsg::Mint { amount, .. } => ensure_nonzero("mint", *amount),
        ExecuteMsg::UpdateMinter { new_minter: None } => Err(ContractError::MinterRemoval),
        ExecuteMsg::UpdateMinter {
            new_minter: Some(_),
        }
        | ExecuteMsg::IncreaseAllowance { .. }
        | ExecuteMsg::DecreaseAllowance { .. }
        | ExecuteMsg::UpdateMarketing { .. }
        | ExecuteMsg::UploadLogo(_) => Ok(()),
    }
}

fn ensure_nonzero(action: &'static str, amount: Uint128) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { action });
    }
    Ok(())
}
