//! GUT's interface as clients see it (`gpunion_interface::gut`) against what the
//! contract runs (cw20-base): same query JSON, same marketing JSON, same storage.

use cosmwasm_std::{Addr, Uint128, from_json, to_json_vec};
use cw20::{Cw20QueryMsg, Logo};
use gpunion_interface::gut::{Marketing, storage};

/// Every CW20 standard query a client sends parses as cw20-base's `QueryMsg`, which the
/// contract dispatches, and means the same (it serializes back to the same JSON).
#[test]
fn every_standard_query_is_a_cw20_base_query() {
    let owner = || "wasm1owner".to_string();
    let queries = [
        Cw20QueryMsg::Balance { address: owner() },
        Cw20QueryMsg::TokenInfo {},
        Cw20QueryMsg::Minter {},
        Cw20QueryMsg::Allowance {
            owner: owner(),
            spender: owner(),
        },
        Cw20QueryMsg::AllAllowances {
            owner: owner(),
            start_after: Some(owner()),
            limit: Some(3),
        },
        Cw20QueryMsg::AllAccounts {
            start_after: None,
            limit: Some(5),
        },
        Cw20QueryMsg::MarketingInfo {},
        Cw20QueryMsg::DownloadLogo {},
    ];
    for query in queries {
        let json = to_json_vec(&query).unwrap();
        let base: cw20_base::msg::QueryMsg =
            from_json(&json).unwrap_or_else(|e| panic!("{query:?} is not a cw20-base query: {e}"));
        assert_eq!(to_json_vec(&base).unwrap(), json, "{query:?}");
    }
}

/// GUT's instantiate message carries marketing in cw20-base's own JSON.
#[test]
fn marketing_is_cw20_bases_instantiate_marketing_info() {
    let ours = Marketing {
        project: Some("GPUnion".into()),
        description: Some("GPU compute market".into()),
        marketing: Some("wasm1marketing".into()),
        logo: Some(Logo::Url("https://gpunion.example/logo.png".into())),
    };
    let json = to_json_vec(&ours).unwrap();
    let base: cw20_base::msg::InstantiateMarketingInfo = from_json(&json).unwrap();
    assert_eq!(to_json_vec(&base).unwrap(), json);
}

/// Verified balance reads ask for the key cw20-base stores balances under.
#[test]
fn balances_namespace_is_cw20_bases() {
    let owner = Addr::unchecked("wasm1d8jtjdmal7x6n5weg6zczagfs5ckkzsrc37sp3");
    let ours: cw_storage_plus::Map<&Addr, Uint128> = cw_storage_plus::Map::new(storage::BALANCES);
    assert_eq!(
        ours.key(&owner).to_vec(),
        cw20_base::state::BALANCES.key(&owner).to_vec()
    );
}

/// Verified token-info reads decode what cw20-base stores under its namespace.
#[test]
fn token_info_is_cw20_bases_stored_record() {
    let base = cw20_base::state::TokenInfo {
        name: "GPUnion Token".into(),
        symbol: "GUT".into(),
        decimals: 6,
        total_supply: Uint128::new(42),
        mint: Some(cw20_base::state::MinterData {
            minter: Addr::unchecked("wasm1minter"),
            cap: Some(Uint128::new(100)),
        }),
    };
    let json = to_json_vec(&base).unwrap();
    let ours: gpunion_interface::gut::TokenInfo = from_json(&json).unwrap();
    assert_eq!(to_json_vec(&ours).unwrap(), json);
    assert_eq!(
        cw20_base::state::TOKEN_INFO.as_slice(),
        storage::TOKEN_INFO.as_bytes()
    );
}
