//! Types that cross between GPUnion's contracts and into the SDK.
//!
//! - [`address`]: address validation with one typed error for every contract;
//! - [`market`]: the market's messages and records (providers, leases, escrow);
//! - [`mining`]: the hook the token swap sends unclaimed GUT back to the mining pool with;
//! - [`endorsement`]: ratings, endorsements, reputation and recommendations;
//! - [`token`]: the CW20 messages the contracts send to GUT;
//! - [`validate`]: the input rules both contracts (and clients) apply: CIDs, regions,
//!   geohashes, peer ids and string limits;
//! - [`geo`]: geohash decoding and an integer distance, for the recommendation query.

pub mod address;
pub mod bounds;
pub mod endorsement;
pub mod geo;
pub mod market;
pub mod mining;
pub mod receive;
pub mod stake;
pub mod token;
pub mod validate;
