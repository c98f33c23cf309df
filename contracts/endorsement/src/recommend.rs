//! The reputation index and the recommendation query.
//!
//! Providers are indexed by (country, reputation) and by reputation alone, at the score
//! they had when last (re)indexed: on every rating, endorsement, revocation, slash, or an
//! `IndexProvider` call, which the market sends on every registration, update, leave
//! and return from Disconnect. A provider found Disconnect when (re)indexed is dropped.
//! `Recommend` walks the customer's country in descending score, then all countries,
//! reading at most [`MAX_SCAN`] entries; it skips those the market's raw record shows
//! Disconnect or paused and queries the market for at most [`MAX_CANDIDATES`] live ones;
//! the scores it returns are recomputed at query time.

use cosmwasm_std::{Addr, Decimal, Deps, DepsMut, Env, Order, StdError, StdResult};
use gpunion_interface::address;
use gpunion_interface::bounds::check_range;
use gpunion_interface::endorsement::{
    RecommendRequest, RecommendResponse, Recommendation, Reputation,
};
use gpunion_interface::geo;
use gpunion_interface::market::{ChainTime, ProviderStatus};
use gpunion_interface::mining::hashrate::FULL_BACKING_PERMILLE;
use gpunion_interface::validate;

use crate::endorse::lapse_changed;
use crate::error::ContractError;
use crate::market_query;
use crate::reputation::reputation;
use crate::state::{BY_COUNTRY, BY_SCORE, CONFIG, INDEX_ENTRIES, IndexEntry};

/// Most index entries one recommendation reads (a raw read of the market's record each).
pub const MAX_SCAN: usize = 100;
/// Most live providers one recommendation queries the market for and ranks.
pub const MAX_CANDIDATES: u32 = 30;
/// Default and largest number of recommendations returned.
pub const DEFAULT_LIMIT: u32 = 5;
pub const MAX_LIMIT: u32 = 20;
/// Distance at which proximity is one half.
pub const HALF_PROXIMITY_KM: u64 = 500;
pub const REPUTATION_SHARE: Decimal = Decimal::percent(50);
pub const PROXIMITY_SHARE: Decimal = Decimal::percent(30);
pub const PRICE_SHARE: Decimal = Decimal::percent(20);

fn score_key(score: Decimal) -> u64 {
    // Decimal has 18 fractional digits; keep 6.
    (score.atomics().u128() / 1_000_000_000_000) as u64
}

/// Lapses attestations of values `provider` no longer declares, recomputes its
/// reputation and moves its index entries; a provider the market no longer knows, or
/// finds Disconnect, is dropped from the index (shed: it comes back when the market
/// reindexes it on its return).
pub fn reindex(mut deps: DepsMut, env: &Env, provider: &Addr) -> Result<(), ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if let Some(old) = INDEX_ENTRIES.may_load(deps.storage, provider)? {
        BY_COUNTRY.remove(deps.storage, (&old.country, old.score_key, provider));
        BY_SCORE.remove(deps.storage, (old.score_key, provider));
        INDEX_ENTRIES.remove(deps.storage, provider);
    }
    let Ok(record) = market_query::provider(deps.as_ref(), &config.market, provider) else {
        return Ok(());
    };
    lapse_changed(deps.branch(), env, provider, &record.provider.attributes)?;
    if record.status == ProviderStatus::Disconnect {
        return Ok(());
    }
    let now = env.block.time.seconds();
    let rep = reputation(deps.as_ref(), &config.params, provider, Some(&record), now)?;
    let entry = IndexEntry {
        country: record.provider.attributes.region.country,
        score_key: score_key(rep.score),
    };
    BY_COUNTRY.save(
        deps.storage,
        (&entry.country, entry.score_key, provider),
        &(),
    )?;
    BY_SCORE.save(deps.storage, (entry.score_key, provider), &())?;
    INDEX_ENTRIES.save(deps.storage, provider, &entry)?;
    Ok(())
}

pub fn query_reputation(deps: Deps, now: u64, provider: String) -> StdResult<Reputation> {
    let config = CONFIG.load(deps.storage)?;
    let provider = deps.api.addr_validate(&provider)?;
    let record = market_query::provider(deps, &config.market, &provider).ok();
    reputation(deps, &config.params, &provider, record.as_ref(), now)
}

/// Typed validation errors become query errors carrying their message.
pub fn query_recommend(
    deps: Deps,
    at: ChainTime,
    request: RecommendRequest,
) -> StdResult<RecommendResponse> {
    recommend(deps, at, request).map_err(|err| match err {
        ContractError::Std(err) => err,
        other => StdError::generic_err(other.to_string()),
    })
}

fn recommend(
    deps: Deps,
    at: ChainTime,
    request: RecommendRequest,
) -> Result<RecommendResponse, ContractError> {
    let now = at.seconds;
    validate::country(&request.country)?;
    validate::geohash(&request.geohash)?;
    if request.max_price_per_hour.is_zero() {
        return Err(ContractError::ZeroAmount {
            what: "max_price_per_hour",
        });
    }
    let origin = geo::decode(&request.geohash).ok_or_else(|| {
        ContractError::Input(validate::InputError::Malformed {
            field: "geohash",
            value: request.geohash.clone(),
            reason: "cannot be decoded",
        })
    })?;
    let config = CONFIG.load(deps.storage)?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
    let min_ratio = request.min_hashrate_ratio_permille.unwrap_or(0);
    check_range(
        "min_hashrate_ratio_permille",
        min_ratio,
        (0, FULL_BACKING_PERMILLE),
    )?;

    // Candidates: the customer's country first, then everyone, best indexed score first;
    // those not taking leases (Disconnect, paused, gone) are skipped on a raw read, so
    // dead providers high in the index cannot use up the market queries.
    let grace = market_query::heartbeat_grace(deps, &config.market)?;
    let in_country = BY_COUNTRY
        .sub_prefix(&request.country)
        .keys(deps.storage, None, None, Order::Descending)
        .map(|key| key.map(|(_, provider)| provider));
    let everywhere = BY_SCORE
        .keys(deps.storage, None, None, Order::Descending)
        .map(|key| key.map(|(_, provider)| provider));
    let mut candidates: Vec<Addr> = Vec::new();
    let mut read = 0;
    for provider in in_country.chain(everywhere).take(MAX_SCAN) {
        let provider = provider?;
        read += 1;
        if candidates.contains(&provider)
            || !market_query::takes_leases(deps, &config.market, &provider, grace, at)?
        {
            continue;
        }
        candidates.push(provider);
        if candidates.len() == MAX_CANDIDATES as usize {
            break;
        }
    }

    let model = request.gpu_model.as_ref().map(|m| m.to_lowercase());
    let mut recommendations = Vec::new();
    for provider in candidates {
        let Ok(record) = market_query::provider(deps, &config.market, &provider) else {
            continue;
        };
        let attrs = &record.provider.attributes;
        let fits = record.status != ProviderStatus::Disconnect
            && !record.provider.paused
            && model
                .as_ref()
                .is_none_or(|m| attrs.gpu_model.to_lowercase() == *m)
            && request.min_memory_mib.is_none_or(|m| attrs.memory_mib >= m)
            && request.min_gpu_count.is_none_or(|c| attrs.gpu_count >= c)
            && attrs.price_per_hour <= request.max_price_per_hour
            && record
                .hashrate
                .as_ref()
                .map_or(0, |proof| proof.ratio_permille)
                >= min_ratio;
        if !fits {
            continue;
        }
        let rep = reputation(deps, &config.params, &provider, Some(&record), now)?;
        let distance_km = geo::decode(&attrs.region.geohash)
            .map(|position| geo::distance_km(origin, position))
            .unwrap_or(u64::MAX / 2);
        let proximity = Decimal::from_ratio(
            HALF_PROXIMITY_KM,
            HALF_PROXIMITY_KM.saturating_add(distance_km),
        );
        let price_score =
            Decimal::one() - Decimal::from_ratio(attrs.price_per_hour, request.max_price_per_hour);
        let score =
            REPUTATION_SHARE * rep.score + PROXIMITY_SHARE * proximity + PRICE_SHARE * price_score;
        recommendations.push(Recommendation {
            provider,
            price_per_hour: attrs.price_per_hour,
            distance_km,
            reputation: rep.score,
            proximity,
            price_score,
            score,
            hashrate: record.hashrate,
        });
    }
    recommendations.sort_by(|a, b| b.score.cmp(&a.score).then(a.provider.cmp(&b.provider)));
    recommendations.truncate(limit);
    Ok(RecommendResponse {
        recommendations,
        candidates_read: read,
    })
}

/// Validates `provider` and checks the market knows it, for `IndexProvider`.
pub fn ensure_provider(deps: Deps, provider: &str) -> Result<Addr, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let provider = address::validate(deps.api, provider)?;
    market_query::provider(deps, &config.market, &provider)?;
    Ok(provider)
}
