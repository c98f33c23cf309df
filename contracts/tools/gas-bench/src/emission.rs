//! Gas of the emission side in the VM: one mining verification (X16S in wasm) and one
//! token-swap claim (Merkle proof + secp256k1 public-key recovery), with GUT's answers
//! to the contracts' queries served by the querier.

use cosmwasm_std::testing::{MockApi, mock_env};
use cosmwasm_std::{Env, HexBinary, Timestamp, Uint128, Uint256, to_json_binary};
use cw20::{BalanceResponse, Cw20QueryMsg, MinterResponse, TokenInfoResponse};
use gpunion_interface::mining::hashrate::{ProvenHashrate, WindowSchedule};
use gpunion_interface::mining::header::{HEADER_VERSION, Header, commitment};
use gpunion_interface::token_swap::address::{encode_p2pkh, p2pkh_of_pubkey};
use gpunion_interface::token_swap::claim_message;
use gpunion_interface::token_swap::merkle::{MerkleTree, leaf};
use gpunion_interface::token_swap::signed_message::message_digest;
use k256::ecdsa::SigningKey;

use super::{VmInstance, instance, vm_execute, vm_instantiate, vm_query};

const SWAP_ALLOCATION: u128 = 1_000_000_000_000;
const VERSION: u8 = 55;
const MAGIC: &str = "Pigeon Signed Message:\n";

/// Gas of `Submit` over several solutions (the X16S function order changes each time),
/// each in a window of its own, and of the `Hashrate` query.
pub struct MiningGas {
    pub min: u64,
    pub max: u64,
    pub mean: u64,
    pub solutions: usize,
    /// The last `Submit`: the miner's record holds every window a proof counts, and
    /// the oldest is dropped.
    pub full_record_submit: u64,
    /// `Hashrate` of that miner (a full record), and of an address that never solved.
    pub hashrate_query: u64,
    pub hashrate_query_none: u64,
}

/// Proofs over 24 windows of a minute, so that solutions a minute apart fill them.
pub const BENCH_SCHEDULE: WindowSchedule = WindowSchedule {
    window_seconds: 60,
    windows: 24,
};

/// Answers the GUT queries the mining and token-swap contracts make.
fn serve_gut(vm: &mut VmInstance) {
    vm.with_querier(|querier| {
        querier.update_wasm(|query| {
            let cosmwasm_std_vm::WasmQuery::Smart { msg, .. } = query else {
                panic!("unexpected query {query:?}");
            };
            let answer = match cosmwasm_std::from_json(msg.as_slice()).expect("a cw20 query") {
                Cw20QueryMsg::Minter {} => to_json_binary(&Some(MinterResponse {
                    minter: "mining".into(),
                    cap: Some(gut_token::supply::TOTAL_SUPPLY_CAP),
                })),
                Cw20QueryMsg::TokenInfo {} => to_json_binary(&TokenInfoResponse {
                    name: gut_token::supply::NAME.into(),
                    symbol: gut_token::supply::SYMBOL.into(),
                    decimals: gut_token::supply::DECIMALS,
                    total_supply: gut_token::supply::PREMINE,
                }),
                Cw20QueryMsg::Balance { .. } => to_json_binary(&BalanceResponse {
                    balance: Uint128::new(SWAP_ALLOCATION),
                }),
                other => panic!("unexpected GUT query {other:?}"),
            };
            cosmwasm_std_vm::SystemResult::Ok(cosmwasm_std_vm::ContractResult::Ok(
                answer.expect("serializes").to_vec().into(),
            ))
        });
        Ok(())
    })
    .expect("querier set");
}

fn env_at(seconds: u64) -> Env {
    let mut env = mock_env();
    env.block.time = Timestamp::from_seconds(seconds);
    env
}

/// Mines `solutions` real solutions (CPU reference), a minute apart, and submits each
/// in the VM; then reads the miner's proven hashrate.
pub fn mining(wasm: &[u8], solutions: usize) -> MiningGas {
    let api = MockApi::default();
    let mut vm = instance(wasm);
    serve_gut(&mut vm);
    let start = mock_env().block.time.seconds();
    let init = mining::msg::InstantiateMsg {
        token: api.addr_make("gut").to_string(),
        token_swap: None,
        initial_bits: 0x2003_ffff,
        pow_limit_bits: 0x207f_ffff,
        target_spacing: 60,
        retarget_interval: 1_000,
        max_adjustment: 4,
        time_window: 600,
        initial_reward: Uint128::new(50_000_000),
        halving_interval: 1_000_000,
        genesis_prev_hash: None,
        hashrate: Some(BENCH_SCHEDULE),
    };
    vm_instantiate(&mut vm, &env_at(start), &api.addr_make("owner"), &init);
    let miner = api.addr_make("miner");
    let mut gas = Vec::with_capacity(solutions);
    for i in 0..solutions as u64 {
        let env = env_at(start + 60 * (i + 1));
        let (_, challenge): (u64, mining::msg::ChallengeResponse) =
            vm_query(&mut vm, &env, &mining::msg::QueryMsg::Challenge {});
        let target =
            Uint256::from_be_bytes(challenge.target.as_slice().try_into().expect("32 bytes"));
        let mut header = Header {
            version: HEADER_VERSION,
            prev_hash: challenge.prev_hash.as_slice().try_into().expect("32 bytes"),
            commitment: commitment(&challenge.chain_id, miner.as_str()),
            time: u32::try_from(env.block.time.seconds()).expect("fits"),
            bits: challenge.bits,
            nonce: 0,
        };
        while Uint256::from_le_bytes(x16s::hash(&header.encode())) > target {
            header.nonce += 1;
        }
        let submit = mining::msg::ExecuteMsg::Submit {
            header: HexBinary::from(header.encode().as_slice()),
        };
        gas.push(vm_execute(&mut vm, &env, &miner, &submit));
    }
    let env = env_at(start + 60 * (solutions as u64 + 1));
    let hashrate = |vm: &mut VmInstance, address: &cosmwasm_std::Addr| {
        let query = mining::msg::QueryMsg::Hashrate {
            address: address.to_string(),
        };
        let (gas, proof): (u64, ProvenHashrate) = vm_query(vm, &env, &query);
        (gas, proof)
    };
    let (hashrate_query, proof) = hashrate(&mut vm, &miner);
    assert_eq!(
        proof.solutions,
        u64::from(BENCH_SCHEDULE.windows.min(solutions as u32)),
        "every counted window holds a solution"
    );
    let (hashrate_query_none, none) = hashrate(&mut vm, &api.addr_make("stranger"));
    assert_eq!(none.solutions, 0);
    MiningGas {
        min: gas.iter().copied().min().unwrap_or(0),
        max: gas.iter().copied().max().unwrap_or(0),
        mean: gas.iter().sum::<u64>() / gas.len().max(1) as u64,
        solutions: gas.len(),
        full_record_submit: gas.last().copied().unwrap_or(0),
        hashrate_query,
        hashrate_query_none,
    }
}

/// One claim against a snapshot of `holders` (proof depth log2 of it), signed by a
/// real secp256k1 key as a Bitcoin-family wallet signs.
pub fn claim(wasm: &[u8], holders: u32) -> u64 {
    let api = MockApi::default();
    let key = SigningKey::from_bytes(&[7u8; 32].into()).expect("valid scalar");
    let pubkey = key.verifying_key().to_encoded_point(true);
    let payload = p2pkh_of_pubkey(pubkey.as_bytes(), VERSION);
    let amount = 1_234_567u128;
    let leaves = (0..holders)
        .map(|i| {
            if i == 0 {
                leaf(&payload, amount)
            } else {
                let mut other = [VERSION; 21];
                other[1..5].copy_from_slice(&i.to_le_bytes());
                leaf(&other, 1_000)
            }
        })
        .collect();
    let tree = MerkleTree::new(leaves).expect("non-empty");
    let owner = api.addr_make("owner");
    let recipient = api.addr_make("recipient");
    let env = mock_env();
    let mut vm = instance(wasm);
    serve_gut(&mut vm);
    let init = token_swap::msg::InstantiateMsg {
        owner: owner.to_string(),
        merkle_root: HexBinary::from(tree.root().as_slice()),
        total_allocation: Uint128::new(SWAP_ALLOCATION),
        message_magic: MAGIC.into(),
        address_version: VERSION,
        snapshot_height: 1,
        claim_deadline: env.block.time.plus_days(30),
    };
    vm_instantiate(&mut vm, &env, &owner, &init);
    let connect = token_swap::msg::ExecuteMsg::Connect {
        token: api.addr_make("gut").to_string(),
        mining_pool: api.addr_make("mining").to_string(),
    };
    vm_execute(&mut vm, &env, &owner, &connect);

    let text = claim_message(
        &env.block.chain_id,
        env.contract.address.as_str(),
        recipient.as_str(),
    );
    let digest = message_digest(MAGIC, &text);
    let (signature, recovery) = key.sign_prehash_recoverable(&digest).expect("signs");
    let mut compact = vec![27 + 4 + recovery.to_byte()];
    compact.extend_from_slice(&signature.to_bytes());
    let claim = token_swap::msg::ExecuteMsg::Claim {
        old_address: encode_p2pkh(&payload),
        amount: Uint128::new(amount),
        proof: tree
            .proof(0)
            .expect("leaf 0")
            .iter()
            .map(|h| HexBinary::from(h.as_slice()))
            .collect(),
        signature: compact.into(),
        recipient: recipient.to_string(),
    };
    vm_execute(&mut vm, &env, &api.addr_make("relayer"), &claim)
}
