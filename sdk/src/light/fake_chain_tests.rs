//! The light client against a fake chain of signed light blocks (tendermint-testgen):
//! skipping, bisection across a validator-set change, forged headers, an expired
//! trusting period, a wrong anchor, and resuming from the store. No network.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tendermint::Time;
use tendermint::block::signed_header::SignedHeader;
use tendermint::validator::Info;
use tendermint_light_client_verifier::types::LightBlock;
use tendermint_rpc::endpoint::abci_query::AbciQuery;
use tendermint_testgen::{Generator, Header, LightBlock as TestBlock, Validator};

use crate::error::{Error, Result};
use crate::light::{LightClient, LightIo, LightOptions, TrustAnchor};

const CHAIN: &str = "fake-chain";
const GENESIS_TIME: i64 = 1_700_000_000;

/// A chain of `len` blocks; block h is signed by `set(h)`, names `set(h + 1)` next and
/// block h − 1 as its last block.
fn chain(len: u64, set: impl Fn(u64) -> Vec<Validator>) -> BTreeMap<u64, LightBlock> {
    let mut last: Option<tendermint::Hash> = None;
    (1..=len)
        .map(|h| {
            let mut header = Header::new(&set(h))
                .height(h)
                .chain_id(CHAIN)
                .next_validators(&set(h + 1))
                .time(Time::from_unix_timestamp(GENESIS_TIME + h as i64, 0).unwrap());
            header.last_block_id_hash = last;
            let block = TestBlock::new_default_with_header(header)
                .next_validators(&set(h + 1))
                .generate()
                .unwrap();
            let block = LightBlock::new(
                block.signed_header,
                block.validators,
                block.next_validators,
                block.provider,
            );
            last = Some(block.signed_header.header.hash());
            (h, block)
        })
        .collect()
}

fn validators(ids: &[&str]) -> Vec<Validator> {
    ids.iter()
        .map(|id| Validator::new(id).voting_power(50))
        .collect()
}

/// Serves `blocks`, records which heights were asked for, and says it is `now`.
#[derive(Clone)]
struct FakeChain {
    blocks: Arc<BTreeMap<u64, LightBlock>>,
    asked: Arc<Mutex<Vec<u64>>>,
    now: Time,
}

impl FakeChain {
    fn new(blocks: BTreeMap<u64, LightBlock>) -> Self {
        let newest = blocks.keys().last().copied().unwrap_or(1);
        Self {
            blocks: Arc::new(blocks),
            asked: Arc::default(),
            now: Time::from_unix_timestamp(GENESIS_TIME + newest as i64 + 10, 0).unwrap(),
        }
    }

    fn asked(&self) -> Vec<u64> {
        self.asked.lock().unwrap().clone()
    }

    fn block(&self, height: u64) -> Result<&LightBlock> {
        self.blocks.get(&height).ok_or_else(|| Error::Rpc {
            endpoint: "fake".into(),
            message: format!("no block {height}"),
        })
    }
}

impl LightIo for FakeChain {
    async fn signed_header(&self, height: Option<u64>) -> Result<SignedHeader> {
        let height = height.unwrap_or_else(|| *self.blocks.keys().last().unwrap());
        self.asked.lock().unwrap().push(height);
        Ok(self.block(height)?.signed_header.clone())
    }

    async fn validators(&self, height: u64) -> Result<Vec<Info>> {
        match self.block(height) {
            Ok(block) => Ok(block.validators.validators().clone()),
            // The set after the newest block is its next set.
            Err(_) => Ok(self.block(height - 1)?.next_validators.validators().clone()),
        }
    }

    async fn abci_query_proven(&self, _: &str, _: Vec<u8>, _: u64) -> Result<AbciQuery> {
        Err(Error::bad_input("the fake chain has no state"))
    }

    fn observed_height(&self) -> u64 {
        0
    }

    fn now(&self) -> Time {
        self.now
    }
}

fn anchor(fake: &FakeChain) -> TrustAnchor {
    TrustAnchor {
        height: 1,
        hash: fake.blocks[&1].signed_header.header.hash(),
    }
}

fn client(fake: &FakeChain, store: Option<&std::path::Path>) -> LightClient<FakeChain> {
    let options = LightOptions::new(anchor(fake)).with_store_dir(store.map(Into::into));
    LightClient::new(fake.clone(), CHAIN, options)
}

#[tokio::test]
async fn one_skip_suffices_while_the_validators_stay() {
    let fake = FakeChain::new(chain(32, |_| validators(&["a", "b"])));
    let light = client(&fake, None);
    assert_eq!(light.verify_to(32).await.unwrap().height().value(), 32);
    assert_eq!(fake.asked(), vec![1, 32]);
}

#[tokio::test]
async fn a_new_validator_set_is_reached_by_bisection() {
    // a, b sign up to block 20; c, d (no overlap) from block 21 on.
    let fake = FakeChain::new(chain(32, |h| {
        validators(if h <= 20 { &["a", "b"] } else { &["c", "d"] })
    }));
    let light = client(&fake, None);
    assert_eq!(light.verify_to(32).await.unwrap().height().value(), 32);
    let asked = fake.asked();
    assert_eq!(asked[..3], [1, 32, 16], "{asked:?}");
    assert!(asked.len() > 3 && asked.len() < 12, "{asked:?}");
    // Sequential verification walks every header instead.
    let fake = FakeChain::new(chain(32, |h| {
        validators(if h <= 20 { &["a", "b"] } else { &["c", "d"] })
    }));
    let light = client(&fake, None);
    light.verify_sequential_to(32).await.unwrap();
    assert_eq!(fake.asked(), (1..=32).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_forged_header_is_rejected_and_not_trusted() {
    let mut blocks = chain(10, |_| validators(&["a", "b"]));
    // The node changes the app hash of block 10 after the validators signed it.
    if let Some(block) = blocks.get_mut(&10) {
        block.signed_header.header.app_hash = tendermint::AppHash::try_from(vec![7; 32]).unwrap();
    }
    let fake = FakeChain::new(blocks);
    let light = client(&fake, None);
    match light.update().await {
        Err(Error::HeaderRejected { height, reason }) => {
            assert_eq!(height, 10);
            assert!(reason.contains("commit"), "{reason}");
        }
        other => panic!("expected a rejected header, got {other:?}"),
    }
    assert_eq!(light.trusted_height().await.unwrap(), 1);
}

#[tokio::test]
async fn trust_older_than_the_trusting_period_is_refused() {
    let mut fake = FakeChain::new(chain(10, |_| validators(&["a", "b"])));
    fake.now = Time::from_unix_timestamp(GENESIS_TIME + 15 * 24 * 3600, 0).unwrap();
    let light = client(&fake, None);
    assert_eq!(
        light.verify_to(10).await.unwrap_err(),
        Error::TrustExpired { height: 1 }
    );
}

#[tokio::test]
async fn an_anchor_the_chain_does_not_have_is_refused() {
    let fake = FakeChain::new(chain(4, |_| validators(&["a", "b"])));
    let mut options = LightOptions::new(anchor(&fake)).with_store_dir(None);
    options.anchor.hash = fake.blocks[&2].signed_header.header.hash();
    let light = LightClient::new(fake.clone(), CHAIN, options);
    assert!(matches!(
        light.trusted_height().await,
        Err(Error::HeaderRejected { height: 1, .. })
    ));
    // Nor a chain with another id.
    let light = LightClient::new(
        fake.clone(),
        "other-chain",
        LightOptions::new(anchor(&fake)).with_store_dir(None),
    );
    assert!(matches!(
        light.trusted_height().await,
        Err(Error::HeaderRejected { height: 1, .. })
    ));
}

#[tokio::test]
async fn a_restart_resumes_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeChain::new(chain(12, |_| validators(&["a", "b"])));
    client(&fake, Some(dir.path())).verify_to(12).await.unwrap();
    let again = FakeChain::new((*fake.blocks).clone());
    let light = client(&again, Some(dir.path()));
    assert_eq!(light.trusted_height().await.unwrap(), 12);
    assert!(again.asked().is_empty(), "{:?}", again.asked());
}

#[tokio::test]
async fn block_time_comes_from_the_header_the_verified_one_links_to() {
    let blocks = chain(8, |_| validators(&["a", "b"]));
    let fake = FakeChain::new(blocks.clone());
    let light = client(&fake, None);
    let state = light.state().await.unwrap();
    assert_eq!(state.height, 7);
    assert_eq!(
        light.block_time(&state).await.unwrap(),
        Time::from_unix_timestamp(GENESIS_TIME + 7, 0).unwrap()
    );

    // A node that serves block 7 with another time: its hash is not the one block 8
    // names as its last block.
    let mut forged = blocks;
    let block = forged.get_mut(&7).unwrap();
    block.signed_header.header.time = Time::from_unix_timestamp(GENESIS_TIME + 600, 0).unwrap();
    let liar = FakeChain::new(forged);
    let light = client(&liar, None);
    let state = light.state().await.unwrap();
    assert!(matches!(
        light.block_time(&state).await,
        Err(Error::HeaderRejected { height: 7, .. })
    ));
}
