//! Proven hashrates: the mining contract the owner names (`SetMining`) vouches for each
//! provider's claimed X16S hashrate with the record of its `mining_address` (or its
//! own), one smart query per provider described.

use cosmwasm_std::{Addr, Deps, DepsMut, MessageInfo, Response, StdResult};
use gpunion_interface::address;
use gpunion_interface::market::Provider;
use gpunion_interface::mining::hashrate::{HashrateProof, ProvenHashrate, miner_of};
use gpunion_interface::mining::{self, QueryMsg as MiningQuery};

use crate::config::only_owner;
use crate::error::ContractError;
use crate::state::CONFIG;

/// Owner: names the mining contract (checked to answer as one) or, with `None`, none.
pub fn execute_set_mining(
    deps: DepsMut,
    info: MessageInfo,
    mining: Option<String>,
) -> Result<Response, ContractError> {
    let mut config = only_owner(deps.as_ref(), &info)?;
    config.mining = match mining {
        Some(mining) => {
            let mining = address::validate(deps.api, &mining)?;
            deps.querier
                .query_wasm_smart::<mining::Config>(&mining, &MiningQuery::Config {})
                .map_err(|_| ContractError::NotMiningContract {
                    address: mining.to_string(),
                })?;
            Some(mining)
        }
        None => None,
    };
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "set_mining"))
}

/// What `mining` proves about `provider`'s claimed hashrate now.
pub fn proof(deps: Deps, mining: &Addr, provider: &Provider) -> StdResult<HashrateProof> {
    let proven: ProvenHashrate = deps.querier.query_wasm_smart(
        mining,
        &MiningQuery::Hashrate {
            address: miner_of(provider),
        },
    )?;
    Ok(HashrateProof::new(
        provider.attributes.x16s_hashrate,
        proven,
    ))
}
