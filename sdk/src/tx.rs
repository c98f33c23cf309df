//! Transactions: build, simulate for gas, sign (SIGN_MODE_DIRECT), broadcast (sync),
//! wait for inclusion. One [`Signer`] per wallet hands out account sequences behind a
//! mutex, so many tasks can send through it at once without losing a transaction.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use cosmrs::tx::{Body, Fee, SignDoc, SignerInfo};
use cosmrs::{Any, Coin};
use tendermint_rpc::Client;
use tokio::sync::Mutex;

use crate::error::{Error, Result, expected_sequence};
use crate::keys::Wallet;
use crate::rpc::Rpc;

/// How many times a transaction is re-signed after a wrong-sequence rejection.
const SEQUENCE_RETRIES: usize = 5;

/// CometBFT's answer to a transaction whose bytes are already in its mempool cache.
const ALREADY_IN_MEMPOOL: &str = "tx already exists in cache";

/// The hash CometBFT gives transaction bytes: SHA-256, upper-case hex.
pub fn tx_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode_upper(sha2::Sha256::digest(bytes))
}

/// Gas limit (and so fee) of the transaction that is simulated; simulation meters gas
/// without a limit, the fee only has to be non-zero and payable.
const SIMULATION_GAS_LIMIT: u64 = 200_000;

/// A gas price such as `0.025ustake`.
#[derive(Debug, Clone, PartialEq)]
pub struct GasPrice {
    pub amount: f64,
    pub denom: String,
}

impl std::str::FromStr for GasPrice {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| Error::bad_input(format!("gas price {s:?} has no denom")))?;
        let (amount, denom) = s.split_at(split);
        let amount: f64 = amount
            .parse()
            .map_err(|_| Error::bad_input(format!("gas price {s:?}: bad amount")))?;
        if !amount.is_finite() || amount < 0.0 || denom.is_empty() {
            return Err(Error::bad_input(format!("gas price {s:?}")));
        }
        Ok(Self {
            amount,
            denom: denom.to_string(),
        })
    }
}

impl GasPrice {
    /// The fee for `gas` units, rounded up.
    pub fn fee_for(&self, gas: u64) -> u128 {
        (gas as f64 * self.amount).ceil() as u128
    }
}

/// How transactions are paid and awaited.
#[derive(Debug, Clone)]
pub struct TxSettings {
    pub chain_id: String,
    pub gas_price: GasPrice,
    /// Simulated gas is multiplied by this (1.3 is common).
    pub gas_adjustment: f64,
    /// Longest wait for a broadcast transaction to be in a block.
    pub inclusion_timeout: Duration,
    /// Interval between polls of `tx` by hash.
    pub poll_interval: Duration,
}

impl TxSettings {
    /// Defaults for a chain: gas adjustment 1.4, 60 s inclusion timeout, 200 ms polls.
    pub fn new(chain_id: impl Into<String>, gas_price: GasPrice) -> Self {
        Self {
            chain_id: chain_id.into(),
            gas_price,
            gas_adjustment: 1.4,
            inclusion_timeout: Duration::from_secs(60),
            poll_interval: Duration::from_millis(200),
        }
    }
}

/// One event of an included transaction, attributes as strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxEvent {
    pub kind: String,
    pub attributes: Vec<(String, String)>,
}

/// A transaction in a block that succeeded.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    /// Upper-case hex hash.
    pub hash: String,
    pub height: u64,
    pub gas_wanted: i64,
    pub gas_used: i64,
    pub events: Vec<TxEvent>,
}

impl TxOutcome {
    /// The first value of `key` in events of `kind` (e.g. `wasm`, `lease_id`).
    pub fn attribute(&self, kind: &str, key: &str) -> Option<&str> {
        self.events
            .iter()
            .filter(|e| e.kind == kind)
            .flat_map(|e| e.attributes.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A bank `MsgSend` of `amount` `denom` from `from` to `to`.
pub fn bank_send_msg(from: &str, to: &str, amount: u128, denom: &str) -> Result<Any> {
    use cosmrs::tx::Msg;
    cosmrs::bank::MsgSend {
        from_address: crate::keys::parse_address(from, None)?,
        to_address: crate::keys::parse_address(to, None)?,
        amount: vec![Coin {
            denom: denom
                .parse()
                .map_err(|e| Error::bad_input(format!("denom {denom}: {e}")))?,
            amount,
        }],
    }
    .to_any()
    .map_err(|e| Error::bad_input(format!("bank send: {e}")))
}

/// A boxed future of [`TxIo`].
pub type IoFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 'a>>;

/// What a [`Signer`] needs from the chain to send: small, so that a test fake is a few
/// lines. [`Rpc`] is the real one.
pub trait TxIo: Send + Sync {
    /// Account number and next sequence of `address` (committed state).
    fn account<'a>(&'a self, address: &'a str) -> IoFuture<'a, (u64, u64)>;
    /// Gas used by simulating the signed transaction `tx_bytes`.
    fn simulate(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, u64>;
    /// Broadcasts (sync); the hash when the mempool accepted it, the ABCI error if not.
    fn broadcast_sync(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, String>;
}

impl TxIo for Rpc {
    fn account<'a>(&'a self, address: &'a str) -> IoFuture<'a, (u64, u64)> {
        Box::pin(async move {
            let base = Rpc::account(self, address).await?;
            Ok((base.account_number, base.sequence))
        })
    }

    fn simulate(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, u64> {
        Box::pin(async move {
            #[allow(deprecated)]
            let request = SimulateRequest { tx: None, tx_bytes };
            let answer: SimulateResponse = self
                .grpc_query("/cosmos.tx.v1beta1.Service/Simulate", &request)
                .await?;
            Ok(answer
                .gas_info
                .ok_or_else(|| Error::decode("simulation", "no gas info"))?
                .gas_used)
        })
    }

    fn broadcast_sync(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, String> {
        Box::pin(async move {
            let answer = self
                .call(|c| {
                    let bytes = tx_bytes.clone();
                    async move { c.broadcast_tx_sync(bytes).await }
                })
                .await?;
            if answer.code.is_err() {
                return Err(Error::from_abci(
                    answer.code.value(),
                    &answer.codespace,
                    &answer.log,
                ));
            }
            Ok(answer.hash.to_string())
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct AccountState {
    number: u64,
    sequence: u64,
}

struct Inner {
    rpc: Rpc,
    /// Where transactions go: `rpc` itself except in tests.
    io: Arc<dyn TxIo>,
    wallet: Wallet,
    settings: TxSettings,
    /// `None` until read from the chain, and again after anything that leaves the
    /// sequence in doubt.
    account: Mutex<Option<AccountState>>,
}

/// Signs and sends transactions for one wallet. Cheap to clone; clones share the
/// sequence allocator, so use one `Signer` per wallet per process.
#[derive(Clone)]
pub struct Signer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("address", &self.address())
            .field("chain_id", &self.inner.settings.chain_id)
            .finish_non_exhaustive()
    }
}

pub(crate) fn decode_tx_events(events: &[tendermint::abci::Event]) -> Vec<TxEvent> {
    events
        .iter()
        .map(|e| TxEvent {
            kind: e.kind.clone(),
            attributes: e
                .attributes
                .iter()
                .map(|a| {
                    (
                        String::from_utf8_lossy(a.key_bytes()).into_owned(),
                        String::from_utf8_lossy(a.value_bytes()).into_owned(),
                    )
                })
                .collect(),
        })
        .collect()
}

impl Signer {
    /// A signer for `wallet` sending through `rpc`.
    pub fn new(rpc: Rpc, wallet: Wallet, settings: TxSettings) -> Self {
        let io = Arc::new(rpc.clone());
        Self::with_io(rpc, io, wallet, settings)
    }

    /// A signer that simulates and broadcasts through `io` (a fake in tests); `rpc`
    /// still serves queries and the wait for inclusion.
    pub fn with_io(rpc: Rpc, io: Arc<dyn TxIo>, wallet: Wallet, settings: TxSettings) -> Self {
        Self {
            inner: Arc::new(Inner {
                rpc,
                io,
                wallet,
                settings,
                account: Mutex::new(None),
            }),
        }
    }

    /// The sender's bech32 address.
    pub fn address(&self) -> &str {
        self.inner.wallet.address().as_ref()
    }

    /// The wallet.
    pub fn wallet(&self) -> &Wallet {
        &self.inner.wallet
    }

    /// The RPC endpoints it sends through.
    pub fn rpc(&self) -> &Rpc {
        &self.inner.rpc
    }

    /// The transaction settings.
    pub fn settings(&self) -> &TxSettings {
        &self.inner.settings
    }

    /// Signs `msgs` and sends them, then waits until the transaction is in a block.
    pub async fn send(&self, msgs: Vec<Any>, memo: &str) -> Result<TxOutcome> {
        let hash = self.broadcast(msgs, memo).await?;
        self.wait_for(&hash).await
    }

    fn sign(&self, msgs: &[Any], memo: &str, account: AccountState, gas: u64) -> Result<Vec<u8>> {
        let settings = &self.inner.settings;
        let chain_id: tendermint::chain::Id = settings
            .chain_id
            .parse()
            .map_err(|e| Error::bad_input(format!("chain id {}: {e}", settings.chain_id)))?;
        let body = Body::new(msgs.to_vec(), memo, 0u32);
        let amount = Coin {
            denom: settings
                .gas_price
                .denom
                .parse()
                .map_err(|e| Error::bad_input(format!("fee denom: {e}")))?,
            amount: settings.gas_price.fee_for(gas),
        };
        let auth_info =
            SignerInfo::single_direct(Some(self.inner.wallet.public_key()), account.sequence)
                .auth_info(Fee::from_amount_and_gas(amount, gas));
        let doc = SignDoc::new(&body, &auth_info, &chain_id, account.number)
            .map_err(|e| Error::bad_input(format!("sign doc: {e}")))?;
        doc.sign(self.inner.wallet.signing_key())
            .and_then(|raw| raw.to_bytes())
            .map_err(|e| Error::bad_input(format!("signing: {e}")))
    }

    async fn simulate(&self, msgs: &[Any], memo: &str, account: AccountState) -> Result<u64> {
        // Simulated with a real fee: a zero fee skips the fee transfer, whose gas
        // (reads and writes of two balances) would then be missing from the estimate.
        let tx_bytes = self.sign(msgs, memo, account, SIMULATION_GAS_LIMIT)?;
        let used = self.inner.io.simulate(tx_bytes).await?;
        Ok((used as f64 * self.inner.settings.gas_adjustment).ceil() as u64)
    }

    /// Signs `msgs` and broadcasts them (sync: checked by the mempool, not yet in a
    /// block). Returns the transaction hash. Gas comes from a simulation. On a
    /// wrong-sequence rejection the sequence is taken from the chain's log (or reread)
    /// and the transaction signed again.
    pub async fn broadcast(&self, msgs: Vec<Any>, memo: &str) -> Result<String> {
        if msgs.is_empty() {
            return Err(Error::bad_input("a transaction needs at least one message"));
        }
        let io = &self.inner.io;
        let mut account = self.inner.account.lock().await;
        let mut last = None;
        for _ in 0..=SEQUENCE_RETRIES {
            let state = match *account {
                Some(state) => state,
                None => {
                    let (number, sequence) = io.account(self.address()).await?;
                    let state = AccountState { number, sequence };
                    *account = Some(state);
                    state
                }
            };
            let attempt = async {
                let gas = self.simulate(&msgs, memo, state).await?;
                let bytes = self.sign(&msgs, memo, state, gas)?;
                match io.broadcast_sync(bytes.clone()).await {
                    // The node already holds these exact bytes: an earlier broadcast of
                    // them timed out on our side but reached the mempool. Same bytes,
                    // same transaction: it is in, under its hash.
                    Err(Error::Rpc { message, .. }) if message.contains(ALREADY_IN_MEMPOOL) => {
                        Ok(tx_hash(&bytes))
                    }
                    other => other,
                }
            };
            match attempt.await {
                Ok(hash) => {
                    *account = Some(AccountState {
                        sequence: state.sequence.saturating_add(1),
                        ..state
                    });
                    return Ok(hash);
                }
                Err(err) if err.is_sequence_mismatch() => {
                    let expected = match &err {
                        Error::ChainRejected { log, .. } => expected_sequence(log),
                        _ => None,
                    };
                    *account = expected.map(|sequence| AccountState { sequence, ..state });
                    last = Some(err);
                }
                Err(err) => {
                    // After a network error the transaction may or may not have reached a
                    // mempool: reread the sequence next time rather than guess.
                    if err.is_network() {
                        *account = None;
                    }
                    return Err(err);
                }
            }
        }
        Err(last.unwrap_or_else(|| Error::bad_input("no attempt made")))
    }

    /// Waits until transaction `hash` is in a block; an error if it failed there.
    pub async fn wait_for(&self, hash: &str) -> Result<TxOutcome> {
        wait_for_tx(&self.inner.rpc, hash, &self.inner.settings).await
    }

    /// Forgets the cached account sequence; the next transaction rereads it.
    pub async fn resync(&self) {
        *self.inner.account.lock().await = None;
    }
}

/// Polls `tx` by hash until the transaction is in a block or the settings' inclusion
/// timeout passes. Unknown hashes and unreachable endpoints are retried until then.
pub async fn wait_for_tx(rpc: &Rpc, hash: &str, settings: &TxSettings) -> Result<TxOutcome> {
    let parsed: tendermint::Hash =
        tendermint::Hash::from_hex_upper(tendermint::hash::Algorithm::Sha256, &hash.to_uppercase())
            .map_err(|e| Error::bad_input(format!("transaction hash {hash}: {e}")))?;
    let started = Instant::now();
    loop {
        match rpc.call(|c| async move { c.tx(parsed, false).await }).await {
            Ok(found) => {
                let result = &found.tx_result;
                if result.code.is_err() {
                    return Err(Error::from_abci(
                        result.code.value(),
                        &result.codespace,
                        &result.log,
                    ));
                }
                rpc.observe_height(found.height.value());
                return Ok(TxOutcome {
                    hash: found.hash.to_string(),
                    height: found.height.value(),
                    gas_wanted: result.gas_wanted,
                    gas_used: result.gas_used,
                    events: decode_tx_events(&result.events),
                });
            }
            Err(Error::Rpc { .. } | Error::Network { .. }) => {}
            Err(other) => return Err(other),
        }
        if started.elapsed() >= settings.inclusion_timeout {
            return Err(Error::Timeout {
                what: format!("transaction {hash} in a block"),
                seconds: settings.inclusion_timeout.as_secs(),
            });
        }
        tokio::time::sleep(settings.poll_interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const MNEMONIC: &str = "oval army slide sense latin task genuine gossip enable rough pool human risk shove fabric cargo future harbor habit welcome once boss shrimp member";

    /// A chain that checks sequences like CometBFT's mempool does: the committed
    /// sequence lags behind the mempool's, and a wrong sequence is answered with the
    /// chain's own log (code 32 from CheckTx, code 6 through simulation).
    struct FakeChain {
        committed: u64,
        next: std::sync::Mutex<u64>,
        account_reads: AtomicUsize,
        /// Broadcasts that fail with a network error before reaching the mempool.
        drop_broadcasts: AtomicUsize,
    }

    fn sequence_of(tx_bytes: &[u8]) -> u64 {
        cosmrs::Tx::from_bytes(tx_bytes)
            .unwrap()
            .auth_info
            .signer_infos[0]
            .sequence
    }

    fn mismatch(expected: u64, got: u64) -> String {
        format!(
            "account sequence mismatch, expected {expected}, got {got}: incorrect account sequence"
        )
    }

    impl TxIo for FakeChain {
        fn account<'a>(&'a self, _: &'a str) -> IoFuture<'a, (u64, u64)> {
            self.account_reads.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok((7, self.committed)) })
        }

        fn simulate(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, u64> {
            Box::pin(async move {
                let (got, expected) = (sequence_of(&tx_bytes), *self.next.lock().unwrap());
                if got != expected {
                    return Err(Error::from_abci(6, "sdk", &mismatch(expected, got)));
                }
                Ok(100_000)
            })
        }

        fn broadcast_sync(&self, tx_bytes: Vec<u8>) -> IoFuture<'_, String> {
            Box::pin(async move {
                tokio::task::yield_now().await;
                if self.drop_broadcasts.load(Ordering::SeqCst) > 0 {
                    self.drop_broadcasts.fetch_sub(1, Ordering::SeqCst);
                    return Err(Error::Network {
                        endpoint: "fake".into(),
                        message: "connection reset".into(),
                    });
                }
                let mut next = self.next.lock().unwrap();
                let got = sequence_of(&tx_bytes);
                if got != *next {
                    return Err(Error::from_abci(32, "sdk", &mismatch(*next, got)));
                }
                *next += 1;
                Ok(tx_hash(&tx_bytes))
            })
        }
    }

    fn signer_on(chain: Arc<FakeChain>) -> Signer {
        let wallet = Wallet::from_mnemonic(MNEMONIC, "wasm").unwrap();
        let rpc = Rpc::new(&["http://127.0.0.1:1"]).unwrap();
        let settings = TxSettings::new("gpunion-local", "0.025ustake".parse().unwrap());
        Signer::with_io(rpc, chain, wallet, settings)
    }

    fn send_msg(signer: &Signer, amount: u128) -> Any {
        bank_send_msg(signer.address(), signer.address(), amount, "ustake").unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_broadcasts_from_one_wallet_all_get_in() {
        // Committed 10, but 3 transactions of another client already sit in the mempool.
        let chain = Arc::new(FakeChain {
            committed: 10,
            next: std::sync::Mutex::new(13),
            account_reads: AtomicUsize::new(0),
            drop_broadcasts: AtomicUsize::new(0),
        });
        let signer = signer_on(chain.clone());
        let sends = (1..=50u128).map(|i| {
            let signer = signer.clone();
            tokio::spawn(async move { signer.broadcast(vec![send_msg(&signer, i)], "").await })
        });
        let mut hashes = std::collections::HashSet::new();
        for send in futures::future::join_all(sends).await {
            hashes.insert(send.unwrap().unwrap());
        }
        assert_eq!(hashes.len(), 50);
        assert_eq!(*chain.next.lock().unwrap(), 63);
        assert_eq!(chain.account_reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_network_error_in_broadcast_rereads_the_sequence() {
        let chain = Arc::new(FakeChain {
            committed: 4,
            next: std::sync::Mutex::new(4),
            account_reads: AtomicUsize::new(0),
            drop_broadcasts: AtomicUsize::new(1),
        });
        let signer = signer_on(chain.clone());
        let err = signer
            .broadcast(vec![send_msg(&signer, 1)], "")
            .await
            .unwrap_err();
        assert!(err.is_network());
        signer
            .broadcast(vec![send_msg(&signer, 1)], "")
            .await
            .unwrap();
        signer
            .broadcast(vec![send_msg(&signer, 2)], "")
            .await
            .unwrap();
        assert_eq!(*chain.next.lock().unwrap(), 6);
        assert_eq!(chain.account_reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_empty_transaction_is_bad_input() {
        let chain = Arc::new(FakeChain {
            committed: 0,
            next: std::sync::Mutex::new(0),
            account_reads: AtomicUsize::new(0),
            drop_broadcasts: AtomicUsize::new(0),
        });
        let signer = signer_on(chain);
        assert!(matches!(
            signer.broadcast(vec![], "").await,
            Err(Error::BadInput(_))
        ));
    }

    #[test]
    fn tx_hash_is_upper_hex_sha256() {
        assert_eq!(
            tx_hash(b""),
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        );
    }

    #[test]
    fn gas_price_parses_and_rounds_up() {
        let price: GasPrice = "0.025ustake".parse().unwrap();
        assert_eq!(price.denom, "ustake");
        assert_eq!(price.fee_for(200_000), 5_000);
        assert_eq!(price.fee_for(1), 1);
        assert!("ustake".parse::<GasPrice>().is_err());
        assert!("0.025".parse::<GasPrice>().is_err());
    }

    #[test]
    fn outcome_attribute_finds_the_first_match() {
        let outcome = TxOutcome {
            hash: "AB".into(),
            height: 1,
            gas_wanted: 0,
            gas_used: 0,
            events: vec![TxEvent {
                kind: "wasm".into(),
                attributes: vec![
                    ("action".into(), "open_lease".into()),
                    ("lease_id".into(), "7".into()),
                ],
            }],
        };
        assert_eq!(outcome.attribute("wasm", "lease_id"), Some("7"));
        assert_eq!(outcome.attribute("bank", "lease_id"), None);
    }
}
