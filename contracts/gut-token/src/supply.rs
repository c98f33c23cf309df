//! GUT's supply figures, in `ugut` (1 GUT = 10^6 ugut): declared in `gpunion-interface`,
//! where clients read them too.

pub use gpunion_interface::gut::{
    DECIMALS, MINABLE, NAME, PREMINE, SYMBOL, TOTAL_SUPPLY_CAP, UGUT_PER_GUT,
};
