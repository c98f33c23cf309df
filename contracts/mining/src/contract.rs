#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    Addr, Binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Order, Response, StdResult, Uint128,
    Uint256, from_json, to_json_binary,
};
use cw_storage_plus::Bound;
use cw20::{Cw20ExecuteMsg, Cw20QueryMsg, Cw20ReceiveMsg, MinterResponse, TokenInfoResponse};
use gpunion_interface::mining::MiningPoolHookMsg;
use gpunion_interface::mining::hashrate::{ProvenHashrate, WINDOW_SECONDS_BOUNDS, WINDOWS_BOUNDS};
use sha2::{Digest, Sha256};

use crate::difficulty::{self, RetargetRule};
use crate::emission;
use gpunion_interface::address::validate;
use gpunion_interface::bounds::check_range;
use gpunion_interface::token;

use crate::error::ContractError;
use crate::msg::{
    ChallengeResponse, EmissionResponse, ExecuteMsg, InstantiateMsg, MinerEntry, MinersResponse,
    NextRetargetResponse, QueryMsg,
};
use crate::state::{CHALLENGE, CONFIG, Challenge, Config, EMISSION, Emission, MINERS, MinerStats};
use gpunion_interface::mining::header::{self, HEADER_VERSION, Header};

const CONTRACT_NAME: &str = "crates.io:mining";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
const MAX_PAGE: u32 = 100;

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let token = validate(deps.api, &msg.token)?;
    let token_swap = msg
        .token_swap
        .as_deref()
        .map(|a| validate(deps.api, a))
        .transpose()?;
    let pow_limit = difficulty::target_of(msg.pow_limit_bits)?;
    if difficulty::target_of(msg.initial_bits)? > pow_limit {
        return Err(invalid("initial_bits", "easier than pow_limit_bits"));
    }
    check_range("target_spacing", msg.target_spacing, (1, 86_400))?;
    check_range("retarget_interval", msg.retarget_interval, (1, 100_000))?;
    check_range("max_adjustment", msg.max_adjustment, (2, 16))?;
    check_range("time_window", msg.time_window, (1, 7_200))?;
    check_range("halving_interval", msg.halving_interval, (1, u64::MAX))?;
    let hashrate = msg.hashrate.unwrap_or_default();
    check_range(
        "hashrate.window_seconds",
        hashrate.window_seconds,
        WINDOW_SECONDS_BOUNDS,
    )?;
    check_range("hashrate.windows", hashrate.windows, WINDOWS_BOUNDS)?;
    if msg.initial_reward.is_zero() {
        return Err(invalid("initial_reward", "must be greater than zero"));
    }
    let prev_hash = match msg.genesis_prev_hash {
        Some(hash) if hash.len() == 32 => hash,
        Some(hash) => {
            return Err(invalid(
                "genesis_prev_hash",
                &format!("{} bytes, not 32", hash.len()),
            ));
        }
        None => genesis_prev_hash(&env),
    };

    // The emission cap is what the token still lets its minter mint.
    let minter: Option<MinterResponse> = deps
        .querier
        .query_wasm_smart(&token, &Cw20QueryMsg::Minter {})?;
    let cap = minter
        .and_then(|m| m.cap)
        .ok_or_else(|| ContractError::UncappedToken {
            token: token.to_string(),
        })?;
    let info: TokenInfoResponse = deps
        .querier
        .query_wasm_smart(&token, &Cw20QueryMsg::TokenInfo {})?;

    let config = Config {
        token,
        token_swap,
        pow_limit_bits: msg.pow_limit_bits,
        target_spacing: msg.target_spacing,
        retarget_interval: msg.retarget_interval,
        max_adjustment: msg.max_adjustment,
        time_window: msg.time_window,
        initial_reward: msg.initial_reward,
        halving_interval: msg.halving_interval,
        hashrate,
    };
    CONFIG.save(deps.storage, &config)?;
    CHALLENGE.save(
        deps.storage,
        &Challenge {
            height: 0,
            prev_hash,
            bits: msg.initial_bits,
            epoch_start: env.block.time.seconds(),
        },
    )?;
    let emission = Emission {
        minted: Uint128::zero(),
        cap: cap.saturating_sub(info.total_supply),
        returned: Uint128::zero(),
    };
    EMISSION.save(deps.storage, &emission)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("emission_cap", emission.cap))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Submit { header } => execute_submit(deps, env, info, &header),
        ExecuteMsg::Receive(receive) => execute_receive(deps, info, receive),
    }
}

fn execute_submit(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    bytes: &[u8],
) -> Result<Response, ContractError> {
    let header = Header::from_slice(bytes).map_err(|_| ContractError::HeaderLength {
        length: bytes.len(),
    })?;
    let config = CONFIG.load(deps.storage)?;
    let mut challenge = CHALLENGE.load(deps.storage)?;
    let now = env.block.time.seconds();

    if header.version != HEADER_VERSION {
        return Err(ContractError::HeaderVersion {
            expected: HEADER_VERSION,
            found: header.version,
        });
    }
    if header.prev_hash.as_slice() != challenge.prev_hash.as_slice() {
        return Err(ContractError::StalePrevious {
            expected: challenge.prev_hash.to_hex(),
            found: HexBinary::from(header.prev_hash.as_slice()).to_hex(),
        });
    }
    if header.commitment != header::commitment(&env.block.chain_id, info.sender.as_str()) {
        return Err(ContractError::WrongCommitment {
            miner: info.sender.to_string(),
            chain_id: env.block.chain_id,
        });
    }
    if u64::from(header.time).abs_diff(now) > config.time_window {
        return Err(ContractError::TimeOutOfWindow {
            time: header.time,
            block_time: now,
            window: config.time_window,
        });
    }
    if header.bits != challenge.bits {
        return Err(ContractError::WrongBits {
            expected: challenge.bits,
            found: header.bits,
        });
    }
    let target = difficulty::target_of(challenge.bits)?;
    let hash = header.hash();
    if Uint256::from_le_bytes(hash) > target {
        return Err(ContractError::InsufficientWork {
            hash: big_endian_hex(hash),
            target: HexBinary::from(target.to_be_bytes().as_slice()).to_hex(),
        });
    }

    let mut emission = EMISSION.load(deps.storage)?;
    let reward = emission::reward(
        config.initial_reward,
        config.halving_interval,
        challenge.height,
        emission.minted,
        emission.cap,
    );
    if reward.is_zero() {
        return Err(ContractError::CapReached { cap: emission.cap });
    }
    emission.minted += reward;
    EMISSION.save(deps.storage, &emission)?;
    let work = difficulty::work(target);
    MINERS.update(deps.storage, &info.sender, |stats| -> StdResult<_> {
        let mut stats = stats.unwrap_or(MinerStats {
            solutions: 0,
            minted: Uint128::zero(),
            work: Uint256::zero(),
            first_solution_time: now,
            last_solution_time: now,
            windows: Vec::new(),
        });
        stats.solutions += 1;
        stats.minted += reward;
        stats.work = stats.work.saturating_add(work);
        stats.last_solution_time = now;
        // Block time, not the header's: the miner picks that within `time_window`.
        config.hashrate.record(&mut stats.windows, now, work);
        Ok(stats)
    })?;

    let height = challenge.height;
    challenge.height += 1;
    challenge.prev_hash = HexBinary::from(hash.as_slice());
    if challenge.height.is_multiple_of(config.retarget_interval) {
        let rule = retarget_rule(&config);
        let pow_limit = difficulty::target_of(config.pow_limit_bits)?;
        challenge.bits = difficulty::retarget(
            challenge.bits,
            now - challenge.epoch_start.min(now),
            rule,
            pow_limit,
        );
        challenge.epoch_start = now;
    }
    CHALLENGE.save(deps.storage, &challenge)?;

    let mint = token::execute(
        &config.token,
        &Cw20ExecuteMsg::Mint {
            recipient: info.sender.to_string(),
            amount: reward,
        },
    )?;
    Ok(Response::new()
        .add_message(mint)
        .add_attribute("action", "submit")
        .add_attribute("miner", info.sender)
        .add_attribute("height", height.to_string())
        .add_attribute("hash", big_endian_hex(hash))
        .add_attribute("reward", reward)
        .add_attribute("next_bits", format!("{:#010x}", challenge.bits)))
}

fn execute_receive(
    deps: DepsMut,
    info: MessageInfo,
    receive: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.token {
        return Err(ContractError::UnknownToken {
            token: config.token.to_string(),
        });
    }
    if config.token_swap.as_ref().map(Addr::as_str) != Some(receive.sender.as_str()) {
        return Err(ContractError::NotTokenSwap);
    }
    let MiningPoolHookMsg::ReturnToPool {} = from_json(&receive.msg)?;
    if receive.amount.is_zero() {
        return Err(ContractError::ZeroAmount);
    }
    let mut emission = EMISSION.load(deps.storage)?;
    emission.cap += receive.amount;
    emission.returned += receive.amount;
    EMISSION.save(deps.storage, &emission)?;
    // Burning frees room under the token's cap for the minted replacement.
    let burn = token::execute(
        &config.token,
        &Cw20ExecuteMsg::Burn {
            amount: receive.amount,
        },
    )?;
    Ok(Response::new()
        .add_message(burn)
        .add_attribute("action", "return_to_pool")
        .add_attribute("amount", receive.amount)
        .add_attribute("emission_cap", emission.cap))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::Challenge {} => to_json_binary(&query_challenge(deps, env)?),
        QueryMsg::Commitment { miner } => {
            let miner = deps.api.addr_validate(&miner)?;
            let commitment = header::commitment(&env.block.chain_id, miner.as_str());
            to_json_binary(&HexBinary::from(commitment.as_slice()))
        }
        QueryMsg::Miner { address } => {
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&MINERS.may_load(deps.storage, &address)?)
        }
        QueryMsg::Hashrate { address } => {
            to_json_binary(&query_hashrate(deps, env.block.time.seconds(), address)?)
        }
        QueryMsg::Miners { start_after, limit } => {
            to_json_binary(&query_miners(deps, start_after, limit)?)
        }
        QueryMsg::Emission {} => to_json_binary(&query_emission(deps)?),
        QueryMsg::NextRetarget {} => to_json_binary(&query_next_retarget(deps)?),
    }
}

fn query_challenge(deps: Deps, env: Env) -> StdResult<ChallengeResponse> {
    let config = CONFIG.load(deps.storage)?;
    let challenge = CHALLENGE.load(deps.storage)?;
    let emission = EMISSION.load(deps.storage)?;
    let target = difficulty::target_of(challenge.bits)
        .map_err(|e| cosmwasm_std::StdError::generic_err(e.to_string()))?;
    Ok(ChallengeResponse {
        chain_id: env.block.chain_id,
        header_version: HEADER_VERSION,
        height: challenge.height,
        prev_hash: challenge.prev_hash,
        bits: challenge.bits,
        target: HexBinary::from(target.to_be_bytes().as_slice()),
        reward: emission::reward(
            config.initial_reward,
            config.halving_interval,
            challenge.height,
            emission.minted,
            emission.cap,
        ),
        time_window: config.time_window,
    })
}

/// The proven hashrate of `address` at `now`: zero when it never solved.
fn query_hashrate(deps: Deps, now: u64, address: String) -> StdResult<ProvenHashrate> {
    let address = deps.api.addr_validate(&address)?;
    let config = CONFIG.load(deps.storage)?;
    let windows = MINERS
        .may_load(deps.storage, &address)?
        .map(|stats| stats.windows)
        .unwrap_or_default();
    Ok(config.hashrate.proven(address, &windows, now))
}

fn query_miners(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<MinersResponse> {
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let limit = limit.unwrap_or(MAX_PAGE).min(MAX_PAGE) as usize;
    let miners = MINERS
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|item| item.map(|(address, stats)| MinerEntry { address, stats }))
        .collect::<StdResult<_>>()?;
    Ok(MinersResponse { miners })
}

fn query_emission(deps: Deps) -> StdResult<EmissionResponse> {
    let config = CONFIG.load(deps.storage)?;
    let challenge = CHALLENGE.load(deps.storage)?;
    let emission = EMISSION.load(deps.storage)?;
    let era = challenge.height / config.halving_interval;
    Ok(EmissionResponse {
        minted: emission.minted,
        cap: emission.cap,
        remaining: emission.cap.saturating_sub(emission.minted),
        returned: emission.returned,
        current_reward: emission::reward(
            config.initial_reward,
            config.halving_interval,
            challenge.height,
            emission.minted,
            emission.cap,
        ),
        next_halving_height: (era + 1).saturating_mul(config.halving_interval),
    })
}

fn query_next_retarget(deps: Deps) -> StdResult<NextRetargetResponse> {
    let config = CONFIG.load(deps.storage)?;
    let challenge = CHALLENGE.load(deps.storage)?;
    let interval = config.retarget_interval;
    Ok(NextRetargetResponse {
        at_height: (challenge.height / interval + 1) * interval,
        epoch_start: challenge.epoch_start,
        expected_seconds: interval * config.target_spacing,
    })
}

fn retarget_rule(config: &Config) -> RetargetRule {
    RetargetRule {
        target_spacing: config.target_spacing,
        interval: config.retarget_interval,
        max_adjustment: config.max_adjustment,
    }
}

/// A hash shown as explorers show it: the little-endian number, most significant first.
fn big_endian_hex(mut hash: [u8; 32]) -> String {
    hash.reverse();
    HexBinary::from(hash.as_slice()).to_hex()
}

fn genesis_prev_hash(env: &Env) -> HexBinary {
    let mut hasher = Sha256::new();
    hasher.update(env.block.chain_id.as_bytes());
    hasher.update([0]);
    hasher.update(env.contract.address.as_bytes());
    HexBinary::from(hasher.finalize().as_slice())
}

fn invalid(name: &'static str, reason: &str) -> ContractError {
    ContractError::InvalidParameter {
        name,
        reason: reason.to_string(),
    }
}
