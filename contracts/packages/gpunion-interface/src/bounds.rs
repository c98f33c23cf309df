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

/// Implements `From<OutOfBounds>` for a contract error with the variant
/// `ParamOutOfBounds { name, value, min, max }` of the same fields, as the market's and
/// the endorsement contract's have.
#[macro_export]
macro_rules! impl_from_out_of_bounds {
    ($error:ty) => {
        impl From<$crate::bounds::OutOfBounds> for $error {
            fn from(err: $crate::bounds::OutOfBounds) -> Self {
                let $crate::bounds::OutOfBounds {
                    name,
                    value,
                    min,
                    max,
                } = err;
                Self::ParamOutOfBounds {
                    name,
                    value,
                    min,
                    max,
                }
            }
        }
    };
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

    /// A contract error named as the market's.
    #[derive(Debug, PartialEq)]
    enum ContractError {
        ParamOutOfBounds {
            name: &'static str,
            value: String,
            min: String,
            max: String,
        },
    }

    crate::impl_from_out_of_bounds!(ContractError);

    #[test]
    fn the_contract_error_carries_the_same_fields() {
        let err = ContractError::from(check_range("x", 10u64, (3, 9)).unwrap_err());
        assert_eq!(
            err,
            ContractError::ParamOutOfBounds {
                name: "x",
                value: "10".into(),
                min: "3".into(),
                max: "9".into(),
            }
        );
    }
}
