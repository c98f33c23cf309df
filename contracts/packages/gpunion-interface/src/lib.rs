//! Types that cross between GPUnion's contracts and into the SDK.
//!
//! - [`market`]: the market's messages and records (providers, leases, escrow);
//! - [`endorsement`]: ratings, endorsements, reputation and recommendations;
//! - [`validate`]: the input rules both contracts (and clients) apply: CIDs, regions,
//!   geohashes, peer ids and string limits;
//! - [`geo`]: geohash decoding and an integer distance, for the recommendation query.

pub mod endorsement;
pub mod geo;
pub mod market;
pub mod validate;
