#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    Addr, Binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, StdResult, Uint128,
    to_json_binary,
};
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg};

use gpunion_interface::address::validate;
use gpunion_interface::token;
use gpunion_interface::token_swap::address::{
    canonical_p2pkh, decode_p2pkh, encode_p2pkh, p2pkh_of_pubkey,
};
use gpunion_interface::token_swap::claim_message;

use crate::error::ContractError;
use crate::msg::{ClaimResponse, ExecuteMsg, InstantiateMsg, QueryMsg, StatsResponse};
use crate::state::{CLAIMS, CONFIG, ClaimRecord, Config, STATS, Stats};
use gpunion_interface::mining::MiningPoolHookMsg;
use gpunion_interface::token_swap::merkle::{self, Hash};
use gpunion_interface::token_swap::signed_message::{
    compress_pubkey, message_digest, parse_signature,
};

const CONTRACT_NAME: &str = "crates.io:token-swap";
const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Longest message magic accepted (real chains use about 25 bytes).
pub const MAX_MAGIC_LEN: usize = 64;
/// Deepest proof accepted: a tree of 2^40 leaves; bounds a claim's gas.
pub const MAX_PROOF_LEN: usize = 40;

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let owner = validate(deps.api, &msg.owner)?;
    if msg.merkle_root.len() != 32 {
        return Err(ContractError::InvalidRoot {
            length: msg.merkle_root.len(),
        });
    }
    if msg.total_allocation.is_zero() {
        return Err(ContractError::ZeroAmount {
            what: "total allocation",
        });
    }
    if msg.message_magic.is_empty() || msg.message_magic.len() > MAX_MAGIC_LEN {
        return Err(ContractError::InvalidMagic {
            max: MAX_MAGIC_LEN,
            found: msg.message_magic.len(),
        });
    }
    if msg.claim_deadline <= env.block.time {
        return Err(ContractError::DeadlineInPast {
            deadline: msg.claim_deadline,
        });
    }
    let config = Config {
        owner,
        merkle_root: msg.merkle_root,
        total_allocation: msg.total_allocation,
        message_magic: msg.message_magic,
        address_version: msg.address_version,
        snapshot_height: msg.snapshot_height,
        claim_deadline: msg.claim_deadline,
        token: None,
        mining_pool: None,
    };
    CONFIG.save(deps.storage, &config)?;
    STATS.save(deps.storage, &Stats::default())?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("merkle_root", config.merkle_root.to_hex())
        .add_attribute("total_allocation", config.total_allocation))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Connect { token, mining_pool } => {
            execute_connect(deps, env, info, &token, &mining_pool)
        }
        ExecuteMsg::Claim {
            old_address,
            amount,
            proof,
            signature,
            recipient,
        } => execute_claim(
            deps,
            env,
            &old_address,
            amount,
            &proof,
            &signature,
            &recipient,
        ),
        ExecuteMsg::ReturnUnclaimed {} => execute_return_unclaimed(deps, env, info),
    }
}

fn execute_connect(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    token: &str,
    mining_pool: &str,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if info.sender != config.owner {
        return Err(ContractError::Unauthorized);
    }
    if config.token.is_some() {
        return Err(ContractError::AlreadyConnected);
    }
    let token = validate(deps.api, token)?;
    let mining_pool = validate(deps.api, mining_pool)?;
    let held = token_balance(deps.as_ref(), &token, &env.contract.address)?;
    if held < config.total_allocation {
        return Err(ContractError::AllocationNotHeld {
            held,
            expected: config.total_allocation,
        });
    }
    config.token = Some(token.clone());
    config.mining_pool = Some(mining_pool.clone());
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "connect")
        .add_attribute("token", token)
        .add_attribute("mining_pool", mining_pool))
}

fn execute_claim(
    deps: DepsMut,
    env: Env,
    old_address: &str,
    amount: Uint128,
    proof: &[HexBinary],
    signature: &[u8],
    recipient: &str,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let token = config.token.clone().ok_or(ContractError::NotConnected)?;
    if env.block.time >= config.claim_deadline {
        return Err(ContractError::ClaimWindowClosed {
            deadline: config.claim_deadline,
        });
    }
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { what: "claim" });
    }
    let payload = decode_p2pkh(old_address, config.address_version).map_err(|reason| {
        ContractError::InvalidOldAddress {
            address: old_address.to_string(),
            reason,
        }
    })?;
    let old_address = encode_p2pkh(&payload);
    if CLAIMS.has(deps.storage, &old_address) {
        return Err(ContractError::AlreadyClaimed { old_address });
    }
    let recipient = validate(deps.api, recipient)?;

    let proof = parse_proof(proof)?;
    let root = merkle::root_from_proof(merkle::leaf(&payload, amount.u128()), &proof);
    if root.as_slice() != config.merkle_root.as_slice() {
        return Err(ContractError::InvalidProof {
            old_address,
            amount,
        });
    }
    let message = claim_message(
        &env.block.chain_id,
        env.contract.address.as_str(),
        recipient.as_str(),
    );
    let signer = recover_signer(deps.as_ref(), &config, signature, &message)?;
    if signer != payload {
        return Err(ContractError::SignerMismatch {
            old_address,
            signer: encode_p2pkh(&signer),
        });
    }

    let record = ClaimRecord {
        recipient: recipient.clone(),
        amount,
        height: env.block.height,
    };
    CLAIMS.save(deps.storage, &old_address, &record)?;
    STATS.update(deps.storage, |mut stats| -> StdResult<_> {
        stats.claimed = stats.claimed.checked_add(amount)?;
        stats.claims += 1;
        Ok(stats)
    })?;
    let pay = token::execute(
        &token,
        &Cw20ExecuteMsg::Transfer {
            recipient: recipient.to_string(),
            amount,
        },
    )?;
    Ok(Response::new()
        .add_message(pay)
        .add_attribute("action", "claim")
        .add_attribute("old_address", old_address)
        .add_attribute("recipient", recipient)
        .add_attribute("amount", amount))
}

fn execute_return_unclaimed(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.owner {
        return Err(ContractError::Unauthorized);
    }
    let (Some(token), Some(mining_pool)) = (config.token, config.mining_pool) else {
        return Err(ContractError::NotConnected);
    };
    if env.block.time < config.claim_deadline {
        return Err(ContractError::ClaimWindowOpen {
            deadline: config.claim_deadline,
        });
    }
    let unclaimed = token_balance(deps.as_ref(), &token, &env.contract.address)?;
    if unclaimed.is_zero() {
        return Err(ContractError::NothingToReturn);
    }
    STATS.update(deps.storage, |mut stats| -> StdResult<_> {
        stats.returned = stats.returned.checked_add(unclaimed)?;
        Ok(stats)
    })?;
    let send = token::execute(
        &token,
        &Cw20ExecuteMsg::Send {
            contract: mining_pool.to_string(),
            amount: unclaimed,
            msg: to_json_binary(&MiningPoolHookMsg::ReturnToPool {})?,
        },
    )?;
    Ok(Response::new()
        .add_message(send)
        .add_attribute("action", "return_unclaimed")
        .add_attribute("amount", unclaimed)
        .add_attribute("mining_pool", mining_pool))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::Claim { old_address } => to_json_binary(&query_claim(deps, &old_address)?),
        QueryMsg::Stats {} => to_json_binary(&query_stats(deps)?),
    }
}

fn query_claim(deps: Deps, old_address: &str) -> StdResult<ClaimResponse> {
    let config = CONFIG.load(deps.storage)?;
    // An address that does not decode has never claimed; canonical form otherwise.
    let claim = match canonical_p2pkh(old_address, config.address_version) {
        Ok(canonical) => CLAIMS.may_load(deps.storage, &canonical)?,
        Err(_) => None,
    };
    Ok(ClaimResponse { claim })
}

fn query_stats(deps: Deps) -> StdResult<StatsResponse> {
    let config = CONFIG.load(deps.storage)?;
    let stats = STATS.load(deps.storage)?;
    Ok(stats.response(config.total_allocation))
}

fn parse_proof(proof: &[HexBinary]) -> Result<Vec<Hash>, ContractError> {
    if proof.len() > MAX_PROOF_LEN {
        return Err(ContractError::ProofTooLong {
            max: MAX_PROOF_LEN,
            found: proof.len(),
        });
    }
    proof
        .iter()
        .enumerate()
        .map(|(index, element)| {
            element
                .as_slice()
                .try_into()
                .map_err(|_| ContractError::InvalidProofElement {
                    index,
                    length: element.len(),
                })
        })
        .collect()
}

/// The P2PKH payload of whoever signed `message` with `signature`.
fn recover_signer(
    deps: Deps,
    config: &Config,
    signature: &[u8],
    message: &str,
) -> Result<[u8; 21], ContractError> {
    let signature = parse_signature(signature)?;
    let digest = message_digest(&config.message_magic, message);
    let uncompressed = deps
        .api
        .secp256k1_recover_pubkey(&digest, signature.rs, signature.recovery_id)
        .map_err(|e| ContractError::SignatureRecovery {
            reason: e.to_string(),
        })?;
    let pubkey = if signature.compressed {
        compress_pubkey(&uncompressed)
            .ok_or_else(|| ContractError::SignatureRecovery {
                reason: "the VM returned a malformed public key".to_string(),
            })?
            .to_vec()
    } else {
        uncompressed
    };
    Ok(p2pkh_of_pubkey(&pubkey, config.address_version))
}

fn token_balance(deps: Deps, token: &Addr, holder: &Addr) -> StdResult<Uint128> {
    let response: BalanceResponse = deps.querier.query_wasm_smart(
        token,
        &Cw20QueryMsg::Balance {
            address: holder.to_string(),
        },
    )?;
    Ok(response.balance)
}
