//! CometBFT RPC over HTTP with fail-over between endpoints, and the chain queries built
//! on it (status, blocks, ABCI queries through the gRPC query paths, contract state).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryBalanceRequest, QueryBalanceResponse};
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    QueryRawContractStateRequest, QueryRawContractStateResponse, QuerySmartContractStateRequest,
    QuerySmartContractStateResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tendermint_rpc::{Client, HttpClient};

use crate::error::{Error, Result, from_rpc};

/// How long one RPC request may take before the endpoint counts as unreachable.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

struct Endpoint {
    url: String,
    client: HttpClient,
}

struct Inner {
    endpoints: Vec<Endpoint>,
    /// Index of the endpoint that answered last.
    healthy: AtomicUsize,
    request_timeout: Duration,
    /// The highest block in which this client saw one of its transactions included.
    observed_height: AtomicU64,
}

/// RPC endpoints of one chain. A call goes to the endpoint that answered last; on a
/// network error it tries the next ones in turn and remembers the one that answered.
/// Cheap to clone (shared).
#[derive(Clone)]
pub struct Rpc {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rpc")
            .field("endpoints", &self.endpoints())
            .field("healthy", &self.healthy_endpoint())
            .finish()
    }
}

/// What a smart query's ABCI call needs: the contract and the JSON message.
fn smart_request<Q: Serialize>(contract: &str, msg: &Q) -> Result<QuerySmartContractStateRequest> {
    Ok(QuerySmartContractStateRequest {
        address: contract.to_string(),
        query_data: serde_json::to_vec(msg)
            .map_err(|e| Error::bad_input(format!("query message: {e}")))?,
    })
}

fn to_height(height: u64) -> Result<tendermint::block::Height> {
    tendermint::block::Height::try_from(height)
        .map_err(|e| Error::bad_input(format!("height {height}: {e}")))
}

impl Rpc {
    /// Endpoints in order of preference, e.g. `http://127.0.0.1:26657`.
    pub fn new<S: AsRef<str>>(urls: &[S]) -> Result<Self> {
        Self::with_timeout(urls, DEFAULT_REQUEST_TIMEOUT)
    }

    /// Like [`Rpc::new`] with a per-request timeout.
    pub fn with_timeout<S: AsRef<str>>(urls: &[S], request_timeout: Duration) -> Result<Self> {
        if urls.is_empty() {
            return Err(Error::bad_input("no RPC endpoint given"));
        }
        let endpoints = urls
            .iter()
            .map(|url| {
                let url = url.as_ref().trim_end_matches('/').to_string();
                let parsed = url
                    .parse()
                    .map_err(|e| Error::bad_input(format!("bad RPC URL {url}: {e}")))?;
                let client = HttpClient::builder(parsed)
                    .timeout(request_timeout)
                    .build()
                    .map_err(|e| Error::bad_input(format!("RPC client for {url}: {e}")))?;
                Ok(Endpoint { url, client })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            inner: Arc::new(Inner {
                endpoints,
                healthy: AtomicUsize::new(0),
                request_timeout,
                observed_height: AtomicU64::new(0),
            }),
        })
    }

    /// The endpoint URLs, in order of preference.
    pub fn endpoints(&self) -> Vec<String> {
        self.inner.endpoints.iter().map(|e| e.url.clone()).collect()
    }

    /// The endpoint that answered last (the first one before any call).
    pub fn healthy_endpoint(&self) -> String {
        let i = self.inner.healthy.load(Ordering::Relaxed) % self.inner.endpoints.len();
        self.inner.endpoints[i].url.clone()
    }

    /// Runs `call` against the healthy endpoint, falling over to the others on network
    /// errors. Any other error is returned at once.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(HttpClient) -> Fut,
        Fut: Future<Output = Result<T, tendermint_rpc::Error>>,
    {
        let n = self.inner.endpoints.len();
        let start = self.inner.healthy.load(Ordering::Relaxed);
        let mut last = None;
        for k in 0..n {
            let i = (start + k) % n;
            let endpoint = &self.inner.endpoints[i];
            let answer =
                tokio::time::timeout(self.inner.request_timeout, call(endpoint.client.clone()))
                    .await;
            let err = match answer {
                Ok(Ok(value)) => {
                    self.inner.healthy.store(i, Ordering::Relaxed);
                    return Ok(value);
                }
                Ok(Err(e)) => from_rpc(&endpoint.url, e),
                Err(_) => Error::Network {
                    endpoint: endpoint.url.clone(),
                    message: format!("no answer in {} s", self.inner.request_timeout.as_secs()),
                },
            };
            if !err.is_network() {
                self.inner.healthy.store(i, Ordering::Relaxed);
                return Err(err);
            }
            last = Some(err);
        }
        Err(last.unwrap_or_else(|| Error::bad_input("no RPC endpoint given")))
    }

    /// The highest block in which a transaction sent through this client (or a clone)
    /// was seen included; 0 before any. Verified reads never return older state, so a
    /// caller reads its own writes.
    pub fn observed_height(&self) -> u64 {
        self.inner.observed_height.load(Ordering::Relaxed)
    }

    /// Records that a transaction was included at `height` (see [`Rpc::observed_height`]).
    pub fn observe_height(&self, height: u64) {
        self.inner
            .observed_height
            .fetch_max(height, Ordering::Relaxed);
    }

    /// Marks the node's latest height as observed and returns it: verified reads from
    /// now on see state at least that new, as if the caller had written there (waiting
    /// up to a block for the header that proves it). For a caller that must not see
    /// state older than its own start, e.g. after another client's writes.
    pub async fn catch_up(&self) -> Result<u64> {
        let height = self.latest_height().await?;
        self.observe_height(height);
        Ok(height)
    }

    /// The node's status (chain id, latest height and time, catching up).
    pub async fn status(&self) -> Result<tendermint_rpc::endpoint::status::Response> {
        self.call(|c| async move { c.status().await }).await
    }

    /// The memos of transactions matching a CometBFT event `query` (e.g.
    /// `wasm.action='reject_lease' AND wasm.lease_id='7'`), oldest first, at most 10.
    pub async fn tx_memos(&self, query: &str) -> Result<Vec<String>> {
        let query: tendermint_rpc::query::Query = query
            .parse()
            .map_err(|e| Error::bad_input(format!("event query {query:?}: {e}")))?;
        let found = self
            .call(|c| {
                let query = query.clone();
                async move {
                    c.tx_search(query, false, 1, 10, tendermint_rpc::Order::Ascending)
                        .await
                }
            })
            .await?;
        found
            .txs
            .iter()
            .map(|tx| {
                cosmrs::Tx::from_bytes(&tx.tx)
                    .map(|tx| tx.body.memo)
                    .map_err(|e| Error::decode("transaction", e))
            })
            .collect()
    }

    /// The latest block height.
    pub async fn latest_height(&self) -> Result<u64> {
        Ok(self.status().await?.sync_info.latest_block_height.value())
    }

    /// The block at `height`.
    pub async fn block(&self, height: u64) -> Result<tendermint::Block> {
        let h = to_height(height)?;
        Ok(self.call(|c| async move { c.block(h).await }).await?.block)
    }

    /// A raw ABCI query at the latest height; a non-zero code becomes an error.
    pub async fn abci_query(&self, path: &str, data: Vec<u8>) -> Result<Vec<u8>> {
        self.abci_query_at(path, data, None).await
    }

    /// A raw ABCI query at `height` (`None`: the latest), not proven.
    async fn abci_query_at(
        &self,
        path: &str,
        data: Vec<u8>,
        height: Option<u64>,
    ) -> Result<Vec<u8>> {
        let height = height.map(to_height).transpose()?;
        let answer = self
            .call(|c| {
                let data = data.clone();
                async move {
                    c.abci_query(Some(path.to_string()), data, height, false)
                        .await
                }
            })
            .await?;
        if answer.code.is_err() {
            return Err(Error::from_abci(
                answer.code.value(),
                &answer.codespace,
                &answer.log,
            ));
        }
        Ok(answer.value)
    }

    /// A raw ABCI query at `height` with `prove=true`: the answer with its proof, not yet
    /// checked (see [`crate::light`]). A non-zero code becomes an error.
    pub async fn abci_query_proven(
        &self,
        path: &str,
        data: Vec<u8>,
        height: u64,
    ) -> Result<tendermint_rpc::endpoint::abci_query::AbciQuery> {
        let height = to_height(height)?;
        let answer = self
            .call(|c| {
                let data = data.clone();
                async move {
                    c.abci_query(Some(path.to_string()), data, Some(height), true)
                        .await
                }
            })
            .await?;
        if answer.code.is_err() {
            return Err(Error::from_abci(
                answer.code.value(),
                &answer.codespace,
                &answer.log,
            ));
        }
        Ok(answer)
    }

    /// The signed header at `height`, or the newest one with `None`.
    pub async fn signed_header(
        &self,
        height: Option<u64>,
    ) -> Result<tendermint::block::signed_header::SignedHeader> {
        let answer = match height {
            Some(h) => {
                let h = to_height(h)?;
                self.call(|c| async move { c.commit(h).await }).await?
            }
            None => {
                self.call(|c| async move { c.latest_commit().await })
                    .await?
            }
        };
        Ok(answer.signed_header)
    }

    /// Every validator of the set that signs block `height` (all pages).
    pub async fn validators(&self, height: u64) -> Result<Vec<tendermint::validator::Info>> {
        let h = to_height(height)?;
        Ok(self
            .call(|c| async move { c.validators(h, tendermint_rpc::Paging::All).await })
            .await?
            .validators)
    }

    /// A gRPC query through ABCI (`path` like `/cosmos.bank.v1beta1.Query/Balance`).
    pub async fn grpc_query<Req, Resp>(&self, path: &str, request: &Req) -> Result<Resp>
    where
        Req: prost::Message,
        Resp: prost::Message + Default,
    {
        self.grpc_query_at(path, request, None).await
    }

    /// [`Rpc::grpc_query`] at `height` (`None`: the latest).
    async fn grpc_query_at<Req, Resp>(
        &self,
        path: &str,
        request: &Req,
        height: Option<u64>,
    ) -> Result<Resp>
    where
        Req: prost::Message,
        Resp: prost::Message + Default,
    {
        let bytes = self
            .abci_query_at(path, request.encode_to_vec(), height)
            .await?;
        Resp::decode(bytes.as_slice()).map_err(|e| Error::decode(path, e))
    }

    /// Account number and sequence of `address`.
    pub async fn account(&self, address: &str) -> Result<BaseAccount> {
        let answer: QueryAccountResponse = self
            .grpc_query(
                "/cosmos.auth.v1beta1.Query/Account",
                &QueryAccountRequest {
                    address: address.to_string(),
                },
            )
            .await?;
        let any = answer
            .account
            .ok_or_else(|| Error::decode("account", "empty answer"))?;
        if any.type_url != "/cosmos.auth.v1beta1.BaseAccount" {
            return Err(Error::decode(
                "account",
                format!("unsupported account type {}", any.type_url),
            ));
        }
        <BaseAccount as prost::Message>::decode(any.value.as_slice())
            .map_err(|e| Error::decode("BaseAccount", e))
    }

    /// Bank balance of `address` in `denom`.
    pub async fn balance(&self, address: &str, denom: &str) -> Result<u128> {
        let answer: QueryBalanceResponse = self
            .grpc_query(
                "/cosmos.bank.v1beta1.Query/Balance",
                &QueryBalanceRequest {
                    address: address.to_string(),
                    denom: denom.to_string(),
                },
            )
            .await?;
        match answer.balance {
            None => Ok(0),
            Some(coin) => coin
                .amount
                .parse()
                .map_err(|e| Error::decode("bank balance", e)),
        }
    }

    /// A contract's smart query: `msg` as JSON in, the answer decoded from JSON.
    pub async fn smart_query<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> Result<R> {
        self.smart_query_at(contract, msg, None).await
    }

    /// [`Rpc::smart_query`] against the state at `height` (`None`: the latest), e.g. to
    /// set a contract's own answer beside a verified read of the same height.
    pub async fn smart_query_at<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
        height: Option<u64>,
    ) -> Result<R> {
        let answer: QuerySmartContractStateResponse = self
            .grpc_query_at(
                "/cosmwasm.wasm.v1.Query/SmartContractState",
                &smart_request(contract, msg)?,
                height,
            )
            .await?;
        serde_json::from_slice(&answer.data).map_err(|e| Error::decode("smart query answer", e))
    }

    /// A contract's raw storage at `key`; `None` when the key is not set.
    pub async fn raw_query(&self, contract: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let answer: QueryRawContractStateResponse = self
            .grpc_query(
                "/cosmwasm.wasm.v1.Query/RawContractState",
                &QueryRawContractStateRequest {
                    address: contract.to_string(),
                    query_data: key.to_vec(),
                },
            )
            .await?;
        Ok(if answer.data.is_empty() {
            None
        } else {
            Some(answer.data)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_endpoint_is_bad_input() {
        assert!(matches!(Rpc::new::<&str>(&[]), Err(Error::BadInput(_))));
        assert!(matches!(Rpc::new(&["not a url"]), Err(Error::BadInput(_))));
    }

    #[tokio::test]
    async fn all_endpoints_dead_is_a_network_error_naming_the_last() {
        let rpc = Rpc::with_timeout(
            &["http://127.0.0.1:1", "http://127.0.0.1:2"],
            Duration::from_secs(2),
        )
        .unwrap();
        match rpc.latest_height().await {
            Err(Error::Network { endpoint, .. }) => assert_eq!(endpoint, "http://127.0.0.1:2"),
            other => panic!("expected a network error, got {other:?}"),
        }
    }
}
