//! Keeping the indexer's recommendation index (the endorsement contract's) current: the
//! market tells it when a provider registers, changes, leaves or comes back, so the index
//! follows the market without anyone calling `IndexProvider` by hand.

use cosmwasm_std::{Addr, StdResult, SubMsg, WasmMsg, to_json_binary};
use gpunion_interface::endorsement::ExecuteMsg as IndexerMsg;

use crate::state::Config;

/// `IndexProvider { provider }` for the configured indexer, if any, as a submessage whose
/// failure is ignored (`contract::reply`): the index never blocks a provider.
pub fn index(config: &Config, provider: &Addr) -> StdResult<Option<SubMsg>> {
    let Some(indexer) = &config.indexer else {
        return Ok(None);
    };
    let msg = WasmMsg::Execute {
        contract_addr: indexer.to_string(),
        msg: to_json_binary(&IndexerMsg::IndexProvider {
            provider: provider.to_string(),
        })?,
        funds: vec![],
    };
    Ok(Some(SubMsg::reply_on_error(msg, 0)))
}
