//! What the light client needs from the outside world, behind one small trait so that
//! verification can be tested against a fake chain.

use std::future::Future;

use tendermint::Time;
use tendermint::block::signed_header::SignedHeader;
use tendermint::validator::Info;
use tendermint_rpc::endpoint::abci_query::AbciQuery;

use crate::error::Result;
use crate::rpc::Rpc;

/// Headers, validator sets, proven state queries and the time. [`Rpc`] is the real one;
/// nothing it returns is trusted before the light client has checked it.
pub trait LightIo: Send + Sync + 'static {
    /// The signed header at `height`, or the newest one with `None`.
    fn signed_header(
        &self,
        height: Option<u64>,
    ) -> impl Future<Output = Result<SignedHeader>> + Send;

    /// Every validator of the set that signs block `height`.
    fn validators(&self, height: u64) -> impl Future<Output = Result<Vec<Info>>> + Send;

    /// An ABCI query at `height` with `prove=true`.
    fn abci_query_proven(
        &self,
        path: &str,
        data: Vec<u8>,
        height: u64,
    ) -> impl Future<Output = Result<AbciQuery>> + Send;

    /// The oldest state a read may return (see [`Rpc::observed_height`]).
    fn observed_height(&self) -> u64;

    /// Now: the trusting period and the clock drift are measured against it.
    fn now(&self) -> Time {
        Time::now()
    }
}

impl LightIo for Rpc {
    fn signed_header(
        &self,
        height: Option<u64>,
    ) -> impl Future<Output = Result<SignedHeader>> + Send {
        Rpc::signed_header(self, height)
    }

    fn validators(&self, height: u64) -> impl Future<Output = Result<Vec<Info>>> + Send {
        Rpc::validators(self, height)
    }

    fn abci_query_proven(
        &self,
        path: &str,
        data: Vec<u8>,
        height: u64,
    ) -> impl Future<Output = Result<AbciQuery>> + Send {
        Rpc::abci_query_proven(self, path, data, height)
    }

    fn observed_height(&self) -> u64 {
        Rpc::observed_height(self)
    }
}
