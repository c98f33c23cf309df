//! The light client proper: fetches signed headers and validator sets through its
//! [`LightIo`], verifies them with tendermint-rs's `ProdVerifier` (the clock an argument
//! from the same `LightIo`), keeps the newest trusted block, and checks state proofs
//! against it. Headers verified before an error stay trusted: each was checked.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tendermint::block::Header;
use tendermint::block::signed_header::SignedHeader;
use tendermint::merkle::proof::ProofOps;
use tendermint::validator::Set as ValidatorSet;
use tendermint_light_client_verifier::errors::VerificationErrorDetail;
use tendermint_light_client_verifier::types::{LightBlock, PeerId};
use tendermint_light_client_verifier::{ProdVerifier, Verdict, Verifier};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::light::io::LightIo;
use crate::light::proof::{StoreEntry, verify_store_successor, verify_store_value};
use crate::light::{LightOptions, TrustStore};
use crate::rpc::Rpc;

/// How often a read that must see a height not yet committed asks again.
const HEADER_POLL: Duration = Duration::from_millis(200);

/// A value proven at a state height (the header above it was verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<T> {
    /// The value, as the proof shows it.
    pub value: T,
    /// The state height the value is from; header `height + 1` proves it.
    pub height: u64,
}

/// Chain state at one height, proven by the verified header above it (see
/// [`LightClient::state`]).
#[derive(Debug, Clone)]
pub struct StateAt {
    /// The state height.
    pub height: u64,
    /// The verified header `height + 1`, whose app hash commits to the state.
    header: Header,
}

impl StateAt {
    /// A value of this state is wrong (a proof does not verify).
    fn rejected(&self, what: &str, reason: String) -> Error {
        Error::ProofRejected {
            what: what.to_string(),
            height: self.height,
            reason,
        }
    }

    /// `value`, as of this state.
    pub fn verified<T>(&self, value: T) -> Verified<T> {
        Verified {
            value,
            height: self.height,
        }
    }
}

/// What the client trusts now.
struct Trusted {
    /// The newest verified block.
    block: LightBlock,
    /// When the node was last asked for a newer header (never, after loading).
    checked: Option<Instant>,
}

struct Inner<I> {
    io: I,
    chain_id: String,
    options: LightOptions,
    store: Option<TrustStore>,
    verifier: ProdVerifier,
    /// `None` until first used: loaded from the store, or fetched at the anchor.
    trusted: Mutex<Option<Trusted>>,
}

/// A light client of one chain, reached through `io` (the SDK's [`Rpc`], or a test's fake
/// chain). Cheap to clone (shared); the trusted state is loaded (or the anchor fetched)
/// on first use.
pub struct LightClient<I = Rpc> {
    inner: Arc<Inner<I>>,
}

impl<I> Clone for LightClient<I> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<I> std::fmt::Debug for LightClient<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LightClient")
            .field("chain_id", &self.inner.chain_id)
            .field("anchor", &self.inner.options.anchor)
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

/// How one untrusted block stands against a trusted one.
enum Step {
    Trusted,
    /// Less than the trust threshold of the trusted validators signed it: bisect.
    NotEnoughTrust,
}

impl<I: LightIo> LightClient<I> {
    /// A light client of chain `chain_id` through `io`, trusting `options.anchor`.
    pub fn new(io: I, chain_id: impl Into<String>, options: LightOptions) -> Self {
        let chain_id = chain_id.into();
        let store = options
            .store_dir
            .as_ref()
            .map(|dir| TrustStore::new(dir, &chain_id));
        Self {
            inner: Arc::new(Inner {
                io,
                chain_id,
                options,
                store,
                verifier: ProdVerifier::default(),
                trusted: Mutex::new(None),
            }),
        }
    }

    /// The options.
    pub fn options(&self) -> &LightOptions {
        &self.inner.options
    }

    /// The height of the newest trusted header (loading or fetching the anchor first).
    pub async fn trusted_height(&self) -> Result<u64> {
        Ok(self.trusted().await?.block.height().value())
    }

    /// Verifies the header at `height` by skipping from the newest trusted one, bisecting
    /// where a skip lacks trust; it becomes the newest trusted header. A height at or
    /// below the trusted one returns the trusted block.
    pub async fn verify_to(&self, height: u64) -> Result<LightBlock> {
        let mut trusted = self.trusted().await?;
        if height <= trusted.block.height().value() {
            return Ok(trusted.block.clone());
        }
        let target = self.fetch(Some(height), &trusted.block).await?;
        self.skip_to(&mut trusted, target).await
    }

    /// Verifies every header from the trusted one up to `height` in turn (adjacent
    /// verification: each against the one before). Slower than [`LightClient::verify_to`];
    /// there for comparison and for callers that want every header checked.
    pub async fn verify_sequential_to(&self, height: u64) -> Result<LightBlock> {
        let mut trusted = self.trusted().await?;
        let from = trusted.block.height().value();
        for h in from + 1..=height {
            let next = self.fetch(Some(h), &trusted.block).await?;
            match self.check(&next, &trusted.block)? {
                Step::Trusted => trusted.block = next,
                Step::NotEnoughTrust => {
                    return Err(rejected(&next, "adjacent header lacks trust".to_string()));
                }
            }
        }
        self.save(&trusted.block)?;
        Ok(trusted.block.clone())
    }

    /// Verifies the node's newest header and trusts it.
    pub async fn update(&self) -> Result<LightBlock> {
        let mut trusted = self.trusted().await?;
        self.update_locked(&mut trusted).await
    }

    /// Reads `key` of store `store` (`wasm`: contract state), proven by a verified header.
    /// The state is at least as new as [`LightIo::observed_height`] (the caller's own
    /// included transactions), and otherwise as new as the header policy of
    /// [`LightOptions::max_header_age`] gives. `what` names the value in errors.
    pub async fn read(
        &self,
        store: &str,
        key: &[u8],
        what: &str,
    ) -> Result<Verified<Option<Vec<u8>>>> {
        let state = self.state().await?;
        let value = self.read_at(&state, store, key, what).await?;
        Ok(state.verified(value))
    }

    /// A verified state to read several keys from: every read through it is proven
    /// against the same app hash, so a value computed from them is the chain's at one
    /// height. As new as [`LightClient::read`]'s.
    pub async fn state(&self) -> Result<StateAt> {
        // State height 0 would ask the node for its latest state: read at 1 or later.
        let header = self
            .header_for_state(self.inner.io.observed_height().max(1))
            .await?;
        Ok(StateAt {
            height: header.height().value() - 1,
            header: header.signed_header.header,
        })
    }

    /// `key` of store `store` in `state`, proven; `None`: proven absent.
    pub async fn read_at(
        &self,
        state: &StateAt,
        store: &str,
        key: &[u8],
        what: &str,
    ) -> Result<Option<Vec<u8>>> {
        let (value, proof) = self.query_at(state, store, key, what).await?;
        verify_store_value(
            proof.as_ref(),
            state.header.app_hash.as_bytes(),
            store,
            key,
            value.as_deref(),
        )
        .map_err(|e| state.rejected(what, e.to_string()))?;
        Ok(value)
    }

    /// The first entry of store `store` at or after `key` in `state`, proven (an absence
    /// proof shows its right neighbour); `None`: proven that no key follows.
    pub async fn entry_from(
        &self,
        state: &StateAt,
        store: &str,
        key: &[u8],
        what: &str,
    ) -> Result<Option<StoreEntry>> {
        let (value, proof) = self.query_at(state, store, key, what).await?;
        verify_store_successor(
            proof.as_ref(),
            state.header.app_hash.as_bytes(),
            store,
            key,
            value.as_deref(),
        )
        .map_err(|e| state.rejected(what, e.to_string()))
    }

    /// Up to `limit` entries of store `store` whose keys start with `prefix`, from `from`
    /// on (a key at or after `prefix`), in key order, proven complete: one proven query
    /// per entry, and one for the end.
    pub async fn entries(
        &self,
        state: &StateAt,
        store: &str,
        prefix: &[u8],
        from: Vec<u8>,
        limit: usize,
        what: &str,
    ) -> Result<Vec<StoreEntry>> {
        let mut entries = Vec::new();
        let mut cursor = from;
        while entries.len() < limit {
            let Some((key, value)) = self.entry_from(state, store, &cursor, what).await? else {
                break;
            };
            if !key.starts_with(prefix) {
                break;
            }
            // The smallest key after `key`.
            cursor = key.clone();
            cursor.push(0);
            entries.push((key, value));
        }
        Ok(entries)
    }

    /// The time of the block at `state`'s height, the contracts' `env.block.time` there:
    /// from that block's header, which must hash to the verified header's
    /// `last_block_id`.
    pub async fn block_time(&self, state: &StateAt) -> Result<tendermint::Time> {
        let header = self
            .inner
            .io
            .signed_header(Some(state.height))
            .await?
            .header;
        let linked = state
            .header
            .last_block_id
            .is_some_and(|id| id.hash == header.hash());
        if !linked {
            return Err(Error::HeaderRejected {
                height: state.height,
                reason: "the header does not hash to the verified header's last block id"
                    .to_string(),
            });
        }
        Ok(header.time)
    }

    /// The node's answer to a proven query of `key` in `state`: the value (`None`: unset)
    /// and the proof, not yet checked.
    async fn query_at(
        &self,
        state: &StateAt,
        store: &str,
        key: &[u8],
        what: &str,
    ) -> Result<(Option<Vec<u8>>, Option<ProofOps>)> {
        let answer = self
            .inner
            .io
            .abci_query_proven(&format!("/store/{store}/key"), key.to_vec(), state.height)
            .await?;
        if answer.height.value() != state.height {
            return Err(state.rejected(
                what,
                format!("the node answered for height {}", answer.height),
            ));
        }
        let value = (!answer.value.is_empty()).then_some(answer.value);
        Ok((value, answer.proof))
    }

    /// A verified header at height at least `min_state + 1`, so that it proves state at
    /// `min_state` or later: the trusted one if it is fresh enough, else the node's newest,
    /// waiting for the chain to produce it if needed.
    async fn header_for_state(&self, min_state: u64) -> Result<LightBlock> {
        let mut trusted = self.trusted().await?;
        let fresh = trusted
            .checked
            .is_some_and(|at| at.elapsed() <= self.inner.options.max_header_age);
        if fresh && trusted.block.height().value() > min_state {
            return Ok(trusted.block.clone());
        }
        let started = Instant::now();
        loop {
            let newest = self.update_locked(&mut trusted).await?;
            if newest.height().value() > min_state {
                return Ok(newest);
            }
            if started.elapsed() >= self.inner.options.header_wait {
                return Err(Error::Timeout {
                    what: format!("header {} to prove state at {min_state}", min_state + 1),
                    seconds: self.inner.options.header_wait.as_secs(),
                });
            }
            tokio::time::sleep(HEADER_POLL).await;
        }
    }

    async fn update_locked(&self, trusted: &mut Trusted) -> Result<LightBlock> {
        let newest = self.fetch(None, &trusted.block).await?;
        trusted.checked = Some(Instant::now());
        if newest.height() <= trusted.block.height() {
            return Ok(trusted.block.clone());
        }
        self.skip_to(trusted, newest).await
    }

    /// Skipping verification from the trusted block to `target`, with bisection: a block
    /// that lacks trust is set aside while the midpoint is verified first.
    async fn skip_to(&self, trusted: &mut Trusted, target: LightBlock) -> Result<LightBlock> {
        let mut pending = vec![target];
        while let Some(candidate) = pending.last() {
            match self.check(candidate, &trusted.block)? {
                Step::Trusted => {
                    if let Some(block) = pending.pop() {
                        trusted.block = block;
                    }
                }
                Step::NotEnoughTrust => {
                    let low = trusted.block.height().value();
                    let mid = low + (candidate.height().value() - low) / 2;
                    if mid <= low {
                        return Err(rejected(candidate, "adjacent header lacks trust".into()));
                    }
                    let block = self.fetch(Some(mid), &trusted.block).await?;
                    pending.push(block);
                }
            }
        }
        self.save(&trusted.block)?;
        Ok(trusted.block.clone())
    }

    /// The verifier's verdict on `untrusted` given `trusted`, now.
    fn check(&self, untrusted: &LightBlock, trusted: &LightBlock) -> Result<Step> {
        let verdict = self.inner.verifier.verify_update_header(
            untrusted.as_untrusted_state(),
            trusted.as_trusted_state(),
            &self.inner.options.verifier_options(),
            self.inner.io.now(),
        );
        match verdict {
            Verdict::Success => Ok(Step::Trusted),
            Verdict::NotEnoughTrust(_) => Ok(Step::NotEnoughTrust),
            Verdict::Invalid(VerificationErrorDetail::NotWithinTrustPeriod(_)) => {
                Err(Error::TrustExpired {
                    height: trusted.height().value(),
                })
            }
            Verdict::Invalid(detail) => Err(rejected(untrusted, detail.to_string())),
        }
    }

    /// The trusted state, loaded from the store or fetched at the anchor on first use.
    async fn trusted(&self) -> Result<MappedMutexGuard<'_, Trusted>> {
        let mut guard = self.inner.trusted.lock().await;
        let trusted = match guard.take() {
            Some(trusted) => trusted,
            None => Trusted {
                block: match self.load()? {
                    Some(block) => block,
                    None => self.fetch_anchor().await?,
                },
                checked: None,
            },
        };
        Ok(MutexGuard::map(guard, |slot| slot.insert(trusted)))
    }

    fn load(&self) -> Result<Option<LightBlock>> {
        match &self.inner.store {
            Some(store) => store.load(&self.inner.chain_id, &self.inner.options.anchor),
            None => Ok(None),
        }
    }

    fn save(&self, block: &LightBlock) -> Result<()> {
        match &self.inner.store {
            Some(store) => store.save(&self.inner.chain_id, &self.inner.options.anchor, block),
            None => Ok(()),
        }
    }

    /// The anchor block, checked against the anchor's hash, the chain id, and its own
    /// validators' commit.
    async fn fetch_anchor(&self) -> Result<LightBlock> {
        let anchor = &self.inner.options.anchor;
        let header = self.inner.io.signed_header(Some(anchor.height)).await?;
        let block = self.light_block(header, &[]).await?;
        let hash = block.signed_header.header.hash();
        if hash != anchor.hash {
            return Err(rejected(
                &block,
                format!("hash {hash} is not the trust anchor's {}", anchor.hash),
            ));
        }
        if block.signed_header.header.chain_id.as_str() != self.inner.chain_id {
            return Err(rejected(
                &block,
                format!(
                    "chain id {} is not {}",
                    block.signed_header.header.chain_id, self.inner.chain_id
                ),
            ));
        }
        let verifier = &self.inner.verifier;
        let state = block.as_untrusted_state();
        for verdict in [
            verifier.verify_validator_sets(&state),
            verifier.verify_commit(&state),
        ] {
            match verdict {
                Verdict::Success => {}
                Verdict::NotEnoughTrust(tally) => {
                    return Err(rejected(&block, format!("commit lacks power: {tally}")));
                }
                Verdict::Invalid(detail) => return Err(rejected(&block, detail.to_string())),
            }
        }
        self.save(&block)?;
        Ok(block)
    }

    /// The light block at `height` (`None`: the newest), with validator sets reused from
    /// `known` where their hashes match the header's.
    async fn fetch(&self, height: Option<u64>, known: &LightBlock) -> Result<LightBlock> {
        let header = self.inner.io.signed_header(height).await?;
        self.light_block(header, &[&known.validators, &known.next_validators])
            .await
    }

    /// Completes `header` into a light block, fetching each validator set unless one of
    /// `known` has the hash the header commits to. A set whose hash does not match is
    /// refused by the verifier, so a node cannot substitute one.
    async fn light_block(
        &self,
        header: SignedHeader,
        known: &[&ValidatorSet],
    ) -> Result<LightBlock> {
        let height = header.header.height.value();
        let validators = self
            .validator_set(height, header.header.validators_hash, known)
            .await?;
        let next_validators = self
            .validator_set(
                height + 1,
                header.header.next_validators_hash,
                &[&validators],
            )
            .await?;
        // The provider is bookkeeping of tendermint-rs's light client; the SDK does not
        // use it: trust comes from signatures, not from who served the block.
        Ok(LightBlock::new(
            header,
            validators,
            next_validators,
            PeerId::new([0; 20]),
        ))
    }

    async fn validator_set(
        &self,
        height: u64,
        hash: tendermint::Hash,
        known: &[&ValidatorSet],
    ) -> Result<ValidatorSet> {
        if let Some(set) = known.iter().find(|set| set.hash() == hash) {
            return Ok((*set).clone());
        }
        Ok(ValidatorSet::without_proposer(
            self.inner.io.validators(height).await?,
        ))
    }
}

fn rejected(block: &LightBlock, reason: String) -> Error {
    Error::HeaderRejected {
        height: block.height().value(),
        reason,
    }
}
