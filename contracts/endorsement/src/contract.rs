#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, from_json, to_json_binary,
};
use cw20::Cw20ReceiveMsg;
use gpunion_interface::address;
use gpunion_interface::endorsement::ConfigResponse;
use gpunion_interface::market::ChainTime;
use gpunion_interface::receive::{self, Payment};

use crate::config::{only_owner, validate_params};
use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};
use crate::state::{CONFIG, Config};
use crate::{endorse, rating, recommend};

const CONTRACT_NAME: &str = "crates.io:gpunion-endorsement";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    validate_params(&msg.params)?;
    let owner = match msg.owner {
        Some(owner) => address::validate(deps.api, &owner)?,
        None => info.sender,
    };
    let config = Config {
        owner,
        gut_token: address::validate(deps.api, &msg.gut_token)?,
        market: address::validate(deps.api, &msg.market)?,
        treasury: address::validate(deps.api, &msg.treasury)?,
        params: msg.params,
    };
    CONFIG.save(deps.storage, &config)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("market", config.market))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Receive(receive) => execute_receive(deps, env, info, receive),
        ExecuteMsg::Rate {
            lease_id,
            score,
            comment_cid,
        } => rating::execute_rate(deps, env, info, lease_id, score, comment_cid),
        ExecuteMsg::Endorse {
            provider,
            attribute,
            claim,
        } => endorse::execute_endorse(deps, env, info, provider, attribute, claim),
        ExecuteMsg::Revoke {
            provider,
            attribute,
        } => endorse::execute_revoke(deps, env, info, provider, attribute),
        ExecuteMsg::Unbond {} => endorse::execute_unbond(deps, env, info),
        ExecuteMsg::ClaimStake {} => endorse::execute_claim_stake(deps, env, info),
        ExecuteMsg::Slash {
            endorser,
            provider,
            attribute,
            fraction,
        } => endorse::execute_slash(deps, env, info, endorser, provider, attribute, fraction),
        ExecuteMsg::IndexProvider { provider } => {
            let provider = recommend::ensure_provider(deps.as_ref(), &provider)?;
            recommend::reindex(deps, &env, &provider)?;
            Ok(Response::new()
                .add_attribute("action", "index_provider")
                .add_attribute("provider", provider))
        }
        ExecuteMsg::UpdateParams { params } => {
            let mut config = only_owner(deps.as_ref(), &info)?;
            validate_params(&params)?;
            config.params = params;
            CONFIG.save(deps.storage, &config)?;
            Ok(Response::new().add_attribute("action", "update_params"))
        }
    }
}

fn execute_receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    receive: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let Payment { sender, amount } =
        receive::check(deps.api, &config.gut_token, &info.sender, &receive)?;
    match from_json(&receive.msg)? {
        ReceiveMsg::BondEndorser {} => endorse::execute_bond(deps, env, &config, sender, amount),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    let now = env.block.time.seconds();
    match msg {
        QueryMsg::Config {} => to_json_binary(&ConfigResponse::from(CONFIG.load(deps.storage)?)),
        QueryMsg::Reputation { provider } => {
            to_json_binary(&recommend::query_reputation(deps, now, provider)?)
        }
        QueryMsg::Rating { lease_id } => to_json_binary(&rating::query_rating(deps, lease_id)?),
        QueryMsg::Ratings {
            provider,
            start_before,
            limit,
        } => to_json_binary(&rating::query_ratings(deps, provider, start_before, limit)?),
        QueryMsg::Endorser { address } => to_json_binary(&endorse::query_endorser(deps, address)?),
        QueryMsg::Endorsements {
            provider,
            start_after,
            limit,
        } => to_json_binary(&endorse::query_endorsements(
            deps,
            provider,
            start_after,
            limit,
        )?),
        QueryMsg::Recommend(request) => {
            let at = ChainTime {
                seconds: now,
                height: env.block.height,
            };
            to_json_binary(&recommend::query_recommend(deps, at, request)?)
        }
    }
}
