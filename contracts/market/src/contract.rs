#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response, StdResult, from_json, to_json_binary,
};
use cw20::Cw20ReceiveMsg;
use gpunion_interface::address;
use gpunion_interface::market::{EscrowTotals, MarketParams};
use gpunion_interface::receive::{self, Payment};

use crate::config::{only_owner, validate_params};
use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveMsg};
use crate::state::{CONFIG, Config, NEXT_LEASE_ID, TOTALS, chain_time};
use crate::{check, hashrate, lease, provider, query};

const CONTRACT_NAME: &str = "crates.io:gpunion-market";
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
        pending_owner: None,
        indexer: None,
        mining: None,
        gut_token: address::validate(deps.api, &msg.gut_token)?,
        treasury: address::validate(deps.api, &msg.treasury)?,
        params: msg.params,
    };
    CONFIG.save(deps.storage, &config)?;
    NEXT_LEASE_ID.save(deps.storage, &1)?;
    TOTALS.save(deps.storage, &EscrowTotals::default())?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", config.owner)
        .add_attribute("gut_token", config.gut_token))
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
        ExecuteMsg::UpdateProvider { attributes } => {
            provider::execute_update(deps, env, info, attributes)
        }
        ExecuteMsg::Pause {} => provider::execute_set_paused(deps, info, true),
        ExecuteMsg::Resume {} => provider::execute_set_paused(deps, info, false),
        ExecuteMsg::Heartbeat {} => provider::execute_heartbeat(deps, env, info),
        ExecuteMsg::Leave {} => provider::execute_leave(deps, env, info),
        ExecuteMsg::ClaimStake {} => provider::execute_claim_stake(deps, env, info),
        ExecuteMsg::AcceptLease { lease_id } => lease::execute_accept(deps, env, info, lease_id),
        ExecuteMsg::RejectLease { lease_id } => lease::execute_reject(deps, env, info, lease_id),
        ExecuteMsg::ReclaimLapsed { lease_id } => {
            lease::execute_reclaim_lapsed(deps, env, lease_id)
        }
        ExecuteMsg::Withdraw { lease_id } => lease::execute_withdraw(deps, env, info, lease_id),
        ExecuteMsg::PostResult { lease_id, result } => {
            lease::execute_post_result(deps, env, info, lease_id, result)
        }
        ExecuteMsg::JoinCheckPool {} => check::execute_join_pool(deps, info),
        ExecuteMsg::LeaveCheckPool {} => check::execute_leave_pool(deps, info),
        ExecuteMsg::PostCheck {
            lease_id,
            root,
            trace_cid,
        } => check::execute_post_check(deps, env, info, lease_id, root, trace_cid),
        ExecuteMsg::PostVerdict { lease_id, verdict } => {
            check::execute_post_verdict(deps, env, info, lease_id, verdict)
        }
        ExecuteMsg::TimeoutCheck { lease_id } => check::execute_timeout(deps, env, lease_id),
        ExecuteMsg::CancelCheck { lease_id } => check::execute_cancel(deps, env, info, lease_id),
        ExecuteMsg::CloseLease { lease_id } => lease::execute_close(deps, env, info, lease_id),
        ExecuteMsg::ExpireLease { lease_id } => lease::execute_expire(deps, env, lease_id),
        ExecuteMsg::UpdateParams { params } => execute_update_params(deps, info, params),
        ExecuteMsg::TransferOwnership { new_owner } => {
            execute_transfer_ownership(deps, info, new_owner)
        }
        ExecuteMsg::AcceptOwnership {} => execute_accept_ownership(deps, info),
        ExecuteMsg::ConsentMiningLink { provider } => {
            provider::execute_consent_mining_link(deps, info, provider)
        }
        ExecuteMsg::UpdateTreasury { treasury } => execute_update_treasury(deps, info, treasury),
        ExecuteMsg::SetIndexer { indexer } => execute_set_indexer(deps, info, indexer),
        ExecuteMsg::SetMining { mining } => hashrate::execute_set_mining(deps, info, mining),
    }
}

/// A failed `IndexProvider` sent to the indexer (see `index`) is ignored: the index
/// is advisory and never blocks a provider's registration, update or heartbeat.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(_deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    Ok(Response::new()
        .add_attribute("action", "index_failed")
        .add_attribute("reply_id", msg.id.to_string()))
}

/// A GUT `Send`: `info.sender` is the token, `receive.sender` the account that sent it.
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
        ReceiveMsg::Register { attributes } => {
            provider::execute_register(deps, env, &config, sender, amount, attributes)
        }
        ReceiveMsg::TopUpStake {} => provider::execute_top_up(deps, sender, amount),
        ReceiveMsg::OpenLease(open) => {
            lease::execute_open(deps, env, &config, sender, amount, open)
        }
        ReceiveMsg::ExtendLease {
            lease_id,
            extra_seconds,
        } => lease::execute_extend(deps, env, &config, sender, amount, lease_id, extra_seconds),
        ReceiveMsg::RequestCheck { lease_id } => {
            check::execute_request(deps, env, &config, sender, amount, lease_id)
        }
    }
}

fn execute_update_params(
    deps: DepsMut,
    info: MessageInfo,
    params: MarketParams,
) -> Result<Response, ContractError> {
    let mut config = only_owner(deps.as_ref(), &info)?;
    validate_params(&params)?;
    config.params = params;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "update_params"))
}

fn execute_transfer_ownership(
    deps: DepsMut,
    info: MessageInfo,
    new_owner: String,
) -> Result<Response, ContractError> {
    let mut config = only_owner(deps.as_ref(), &info)?;
    let proposed = address::validate(deps.api, &new_owner)?;
    config.pending_owner = Some(proposed.clone());
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_ownership")
        .add_attribute("pending_owner", proposed))
}

/// The proposed owner takes over: an owner can never be set to an address nobody
/// controls.
fn execute_accept_ownership(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.pending_owner.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotPendingOwner);
    }
    config.owner = info.sender;
    config.pending_owner = None;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "accept_ownership")
        .add_attribute("owner", config.owner))
}

fn execute_set_indexer(
    deps: DepsMut,
    info: MessageInfo,
    indexer: Option<String>,
) -> Result<Response, ContractError> {
    let mut config = only_owner(deps.as_ref(), &info)?;
    config.indexer = indexer
        .map(|indexer| address::validate(deps.api, &indexer))
        .transpose()?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "set_indexer"))
}

fn execute_update_treasury(
    deps: DepsMut,
    info: MessageInfo,
    treasury: String,
) -> Result<Response, ContractError> {
    let mut config = only_owner(deps.as_ref(), &info)?;
    config.treasury = address::validate(deps.api, &treasury)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_treasury")
        .add_attribute("treasury", config.treasury))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    let at = chain_time(&env);
    let now = at.seconds;
    match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Provider { address } => to_json_binary(&query::provider(deps, at, address)?),
        QueryMsg::Providers {
            filter,
            start_after,
            limit,
        } => to_json_binary(&query::providers(
            deps,
            at,
            filter.unwrap_or_default(),
            start_after,
            limit,
        )?),
        QueryMsg::Lease { id } => to_json_binary(&query::lease(deps, now, id)?),
        QueryMsg::LeasesByCustomer {
            customer,
            start_after,
            limit,
        } => to_json_binary(&query::leases_by_customer(
            deps,
            customer,
            start_after,
            limit,
        )?),
        QueryMsg::LeasesByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::leases_by_provider(
            deps,
            provider,
            start_after,
            limit,
        )?),
        QueryMsg::EscrowTotals {} => to_json_binary(&query::escrow_totals(deps)?),
        QueryMsg::Check { lease_id } => to_json_binary(&query::check(deps, lease_id)?),
        QueryMsg::ChecksAssigned {
            address,
            start_after,
            limit,
        } => to_json_binary(&query::checks_assigned(deps, address, start_after, limit)?),
        QueryMsg::CheckPool {} => to_json_binary(&query::check_pool(deps)?),
    }
}
