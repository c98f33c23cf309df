//! Old-chain coin amounts ("12.5", "0.00012345") to ugut.
//!
//! One old coin swaps for one GUT. Old coins have 8 decimals, GUT has 6: the last two
//! decimals (below 1 ugut) cannot be paid and are reported as dust.

use std::fmt;

/// Decimals of the distribution chain's coin.
pub const OLD_DECIMALS: usize = 8;
/// Old base units (satoshi-like) per ugut.
const SATS_PER_UGUT: u128 = 100;

/// An amount in the old chain's base units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OldAmount(pub u128);

impl OldAmount {
    /// Parses a non-negative decimal coin amount with at most 8 decimals.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let text = text.trim();
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !fraction.is_none_or(digits) {
            return Err(AmountError::NotANumber(text.to_string()));
        }
        let fraction = fraction.unwrap_or_default();
        if fraction.len() > OLD_DECIMALS {
            return Err(AmountError::TooPrecise(text.to_string()));
        }
        let scale = 10u128.pow(OLD_DECIMALS as u32);
        let fraction_units = format!("{fraction:0<width$}", width = OLD_DECIMALS);
        let parse = |s: &str| {
            s.parse::<u128>()
                .map_err(|_| AmountError::TooLarge(text.to_string()))
        };
        parse(whole)?
            .checked_mul(scale)
            .and_then(|w| w.checked_add(parse(&fraction_units).ok()?))
            .map(OldAmount)
            .ok_or_else(|| AmountError::TooLarge(text.to_string()))
    }

    /// The GUT paid for this amount, in ugut, and the dust left over (old base units).
    pub fn to_ugut(self) -> (u128, u128) {
        (self.0 / SATS_PER_UGUT, self.0 % SATS_PER_UGUT)
    }
}

impl fmt::Display for OldAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10u128.pow(OLD_DECIMALS as u32);
        write!(f, "{}.{:08}", self.0 / scale, self.0 % scale)
    }
}

/// Why a balance is not a coin amount.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("{0:?} is not a non-negative decimal amount")]
    NotANumber(String),
    #[error("{0:?} has more than 8 decimals")]
    TooPrecise(String),
    #[error("{0:?} is too large")]
    TooLarge(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_coin_amounts() {
        assert_eq!(OldAmount::parse("12.5"), Ok(OldAmount(1_250_000_000)));
        assert_eq!(OldAmount::parse("0.00000001"), Ok(OldAmount(1)));
        assert_eq!(OldAmount::parse(" 7 "), Ok(OldAmount(700_000_000)));
        assert_eq!(OldAmount(1_250_000_000).to_string(), "12.50000000");
    }

    #[test]
    fn converts_to_ugut_with_dust() {
        assert_eq!(
            OldAmount::parse("1.23456789").map(OldAmount::to_ugut),
            Ok((1_234_567, 89))
        );
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in ["", "-1", "1e5", "1.", ".5", "abc", "1.2.3"] {
            assert!(
                matches!(OldAmount::parse(bad), Err(AmountError::NotANumber(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            OldAmount::parse("1.123456789"),
            Err(AmountError::TooPrecise(_))
        ));
        assert!(matches!(
            OldAmount::parse("999999999999999999999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }
}
