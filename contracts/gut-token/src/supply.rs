//! GUT's supply figures, in `ugut` (1 GUT = 10^6 ugut).

use cosmwasm_std::Uint128;

/// The token's name.
pub const NAME: &str = "GPUnion Token";
/// The token's ticker.
pub const SYMBOL: &str = "GUT";
/// Decimal places: amounts on chain are in `ugut`.
pub const DECIMALS: u8 = 6;
/// One GUT in `ugut`.
pub const UGUT_PER_GUT: u128 = 1_000_000;

/// Total-supply cap: 1,002,000,000 GUT.
pub const TOTAL_SUPPLY_CAP: Uint128 = Uint128::new(1_002_000_000 * UGUT_PER_GUT);
/// The 5% premined to the treasury at instantiation: 50,100,000 GUT.
pub const PREMINE: Uint128 = Uint128::new(TOTAL_SUPPLY_CAP.u128() / 20);
/// The 95% that only the minter (the mining contract) may emit: 951,900,000 GUT.
/// The token swap's allocation comes out of this share.
pub const MINABLE: Uint128 = Uint128::new(TOTAL_SUPPLY_CAP.u128() - PREMINE.u128());
