//! Geohash decoding and an integer great-circle approximation.
//!
//! Contracts avoid floating point, so positions are kept in micro-degrees and the
//! distance is the equirectangular approximation with a cosine table: within a few
//! percent of the great-circle distance up to a few thousand kilometres, which is what
//! ranking providers by proximity needs.

use crate::validate::GEOHASH_ALPHABET;

/// A position in micro-degrees (the centre of a geohash cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub lat_micro: i64,
    pub lon_micro: i64,
}

/// Decodes a geohash to the centre of its cell; `None` if a character is outside the
/// alphabet or the geohash is empty.
pub fn decode(geohash: &str) -> Option<Position> {
    if geohash.is_empty() {
        return None;
    }
    // Bounds in micro-degrees scaled by 2^20 so halving stays exact for 12 characters.
    const SCALE: i128 = 1 << 20;
    let (mut lat_lo, mut lat_hi) = (-90_000_000i128 * SCALE, 90_000_000i128 * SCALE);
    let (mut lon_lo, mut lon_hi) = (-180_000_000i128 * SCALE, 180_000_000i128 * SCALE);
    let mut even = true;
    for c in geohash.chars() {
        let bits = GEOHASH_ALPHABET.find(c)?;
        for shift in (0..5).rev() {
            let bit = (bits >> shift) & 1 == 1;
            let (lo, hi) = if even {
                (&mut lon_lo, &mut lon_hi)
            } else {
                (&mut lat_lo, &mut lat_hi)
            };
            let mid = (*lo + *hi) / 2;
            if bit {
                *lo = mid;
            } else {
                *hi = mid;
            }
            even = !even;
        }
    }
    Some(Position {
        lat_micro: ((lat_lo + lat_hi) / 2 / SCALE) as i64,
        lon_micro: ((lon_lo + lon_hi) / 2 / SCALE) as i64,
    })
}

/// cos(d°) × 1000 for d = 0..=90.
const COS_PERMILLE: [u64; 91] = [
    1000, 1000, 999, 999, 998, 996, 995, 993, 990, 988, 985, 982, 978, 974, 970, 966, 961, 956,
    951, 946, 940, 934, 927, 921, 914, 906, 899, 891, 883, 875, 866, 857, 848, 839, 829, 819, 809,
    799, 788, 777, 766, 755, 743, 731, 719, 707, 695, 682, 669, 656, 643, 629, 616, 602, 588, 574,
    559, 545, 530, 515, 500, 485, 469, 454, 438, 423, 407, 391, 375, 358, 342, 326, 309, 292, 276,
    259, 242, 225, 208, 191, 174, 156, 139, 122, 105, 87, 70, 52, 35, 17, 0,
];

/// Metres per micro-degree of latitude, × 1000 (111.32 km per degree).
const MM_PER_MICRODEGREE: u64 = 111_320;

/// Approximate distance in kilometres between two positions.
pub fn distance_km(a: Position, b: Position) -> u64 {
    let mean_lat_deg = ((a.lat_micro + b.lat_micro) / 2).unsigned_abs() / 1_000_000;
    let cos = COS_PERMILLE[mean_lat_deg.min(90) as usize];
    let dlat = a.lat_micro.abs_diff(b.lat_micro) as u128;
    let mut dlon = a.lon_micro.abs_diff(b.lon_micro);
    if dlon > 180_000_000 {
        dlon = 360_000_000 - dlon; // the short way round the antimeridian
    }
    let dlon = dlon as u128 * cos as u128 / 1000;
    let micro = isqrt(dlat * dlat + dlon * dlon);
    (micro * MM_PER_MICRODEGREE as u128 / 1_000_000_000) as u64
}

fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = n;
    let mut y = x.div_ceil(2);
    while y < x {
        x = y;
        y = (x + n / x) / 2;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_known_cells() {
        // "u33dc0" is in Berlin Mitte (52.52 N, 13.40 E).
        let berlin = decode("u33dc0").unwrap();
        assert!((berlin.lat_micro - 52_520_000).abs() < 10_000, "{berlin:?}");
        assert!((berlin.lon_micro - 13_400_000).abs() < 20_000, "{berlin:?}");
        assert_eq!(decode("u3a"), None);
        assert_eq!(decode(""), None);
    }

    #[test]
    fn distances_are_close_to_great_circle() {
        let berlin = decode("u33dc0").unwrap();
        let paris = decode("u09tvw").unwrap(); // 48.86 N, 2.35 E
        let d = distance_km(berlin, paris);
        assert!((860..=900).contains(&d), "Berlin-Paris {d} km"); // great circle 878 km
        assert_eq!(distance_km(berlin, berlin), 0);
    }
}
