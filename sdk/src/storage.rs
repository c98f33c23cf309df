//! Where a contract's state lives in wasmd's `wasm` store, and how cw-storage-plus lays
//! out the keys of `Item`s and `Map`s inside it: what a verified read asks the node to
//! prove.
//!
//! - wasmd keeps every contract's storage in the `wasm` IAVL store under
//!   `0x03 ‖ contract address (20 or 32 bytes) ‖ contract key`.
//! - cw-storage-plus: an `Item` is stored at its namespace; a `Map` entry at
//!   `len(namespace) as u16 BE ‖ namespace ‖ key`, where a composite key length-prefixes
//!   (u16 BE) every part but the last. `&Addr` keys are the address string's bytes,
//!   `u64` keys 8 big-endian bytes.

use crate::error::Result;
use crate::keys::parse_address;

/// The Cosmos SDK store of account balances.
pub const BANK_STORE: &str = "bank";

/// x/bank's prefix of balances (`collections.NewPrefix(2)`).
pub const BALANCES_PREFIX: u8 = 0x02;

/// The key of `address`'s balance of `denom` in the `bank` store: the prefix, the
/// address length-prefixed (one byte), then the denom. The value is the amount as
/// decimal text; absent means zero.
pub fn bank_balance_key(address: &str, denom: &str) -> Result<Vec<u8>> {
    let address = parse_address(address, None)?.to_bytes();
    let mut key = Vec::with_capacity(2 + address.len() + denom.len());
    key.push(BALANCES_PREFIX);
    // Addresses are 20 or 32 bytes.
    key.push(address.len() as u8);
    key.extend_from_slice(&address);
    key.extend_from_slice(denom.as_bytes());
    Ok(key)
}

/// The Cosmos SDK store that holds contract state (the name in its multistore proof).
pub const WASM_STORE: &str = "wasm";

/// wasmd's prefix of contract storage in the `wasm` store.
pub const CONTRACT_STORE_PREFIX: u8 = 0x03;

/// The key of `contract`'s storage entry `key` in the `wasm` store.
pub fn contract_store_key(contract: &str, key: &[u8]) -> Result<Vec<u8>> {
    let address = parse_address(contract, None)?.to_bytes();
    let mut full = Vec::with_capacity(1 + address.len() + key.len());
    full.push(CONTRACT_STORE_PREFIX);
    full.extend_from_slice(&address);
    full.extend_from_slice(key);
    Ok(full)
}

/// The key of a cw-storage-plus `Item` called `namespace`.
pub fn item_key(namespace: &str) -> Vec<u8> {
    namespace.as_bytes().to_vec()
}

/// The key of the entry with key `parts` of a cw-storage-plus `Map` called `namespace`
/// (one part for a simple key, several for a tuple key).
pub fn map_key(namespace: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut key = Vec::new();
    push_prefixed(&mut key, namespace.as_bytes());
    if let Some((last, prefixed)) = parts.split_last() {
        for part in prefixed {
            push_prefixed(&mut key, part);
        }
        key.extend_from_slice(last);
    }
    key
}

/// `len as u16 BE ‖ bytes`. Namespaces and key parts are far shorter than 64 KiB; a
/// longer one would not be a key any GPUnion contract stores.
fn push_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::Addr;
    use cw_storage_plus::{Item, Map};
    use gpunion_interface::market::storage;

    const ADDR: &str = "wasm1d8jtjdmal7x6n5weg6zczagfs5ckkzsrc37sp3";

    #[test]
    fn map_keys_match_cw_storage_plus() {
        let owner = Addr::unchecked(ADDR);
        // A tuple key length-prefixes all parts but the last. (The typed clients' own
        // keys are pinned in their modules.)
        let by_customer: Map<(&Addr, u64), ()> = Map::new(storage::LEASES_BY_CUSTOMER);
        let bookings: Map<(&Addr, u32, u64), ()> = Map::new(storage::BOOKINGS);
        let config: Item<()> = Item::new(storage::CONFIG);
        assert_eq!(
            map_key(
                storage::LEASES_BY_CUSTOMER,
                &[ADDR.as_bytes(), &3u64.to_be_bytes()]
            ),
            by_customer.key((&owner, 3)).to_vec()
        );
        assert_eq!(
            map_key(
                storage::BOOKINGS,
                &[ADDR.as_bytes(), &1u32.to_be_bytes(), &9u64.to_be_bytes()]
            ),
            bookings.key((&owner, 1, 9)).to_vec()
        );
        assert_eq!(item_key(storage::CONFIG), config.as_slice());
    }

    #[test]
    fn encoding_is_pinned() {
        assert_eq!(map_key("ab", &[b"c"]), b"\x00\x02abc".to_vec());
        assert_eq!(
            map_key("ab", &[b"c", b"d"]),
            b"\x00\x02ab\x00\x01cd".to_vec()
        );
        let full = contract_store_key(ADDR, b"k").unwrap();
        assert_eq!(full[0], 0x03);
        assert_eq!(full.len(), 1 + 20 + 1);
        assert_eq!(&full[21..], b"k");
        assert!(contract_store_key("nonsense", b"k").is_err());
    }
}
