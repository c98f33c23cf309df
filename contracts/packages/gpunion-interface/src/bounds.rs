//! The range check on contract parameters, with one error each contract maps into its
//! own.

use core::fmt::Display;

/// A parameter outside the range its contract allows. The numbers are rendered, so
/// integers and decimals fit the same error.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("parameter {name} = {value} is outside [{min}, {max}]")]
pub struct OutOfBounds {
    pub name: &'static str,
    pub value: String,
    pub min: String,
    pub max: String,
}

/// Accepts `value` of the parameter `name` only within `[min, max]`, both included.
pub fn check_range<T: PartialOrd + Display>(
    name: &'static str,
    value: T,
    (min, max): (T, T),
) -> Result<(), OutOfBounds> {
    if value < min || value > max {
        return Err(OutOfBounds {
            name,
            value: value.to_string(),
            min: min.to_string(),
            max: max.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::Decimal;

    use super::*;

    #[test]
    fn both_ends_are_inside() {
        assert_eq!(check_range("x", 3u64, (3, 9)), Ok(()));
        assert_eq!(check_range("x", 9u64, (3, 9)), Ok(()));
    }

    #[test]
    fn values_outside_name_the_parameter_and_the_range() {
        let out = |value: u64| OutOfBounds {
            name: "x",
            value: value.to_string(),
            min: "3".into(),
            max: "9".into(),
        };
        assert_eq!(check_range("x", 2u64, (3, 9)), Err(out(2)));
        assert_eq!(check_range("x", 10u64, (3, 9)), Err(out(10)));
    }

    #[test]
    fn decimals_render_as_decimals() {
        let err = check_range(
            "fee",
            Decimal::percent(15),
            (Decimal::zero(), Decimal::percent(10)),
        )
        .unwrap_err();
        assert_eq!(
            err,
            OutOfBounds {
                name: "fee",
                value: "0.15".into(),
                min: "0".into(),
                max: "0.1".into(),
            }
        );
    }
}
