//! Event subscription over CometBFT's WebSocket: transactions matching a query, as a
//! `Stream`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};
use tendermint_rpc::event::EventData;
use tendermint_rpc::query::Query;
use tendermint_rpc::{SubscriptionClient, WebSocketClient};
use tokio::task::JoinHandle;

use crate::error::{Error, Result, from_rpc};
use crate::tx::TxEvent;

/// A transaction that matched a subscription.
#[derive(Debug, Clone)]
pub struct TxNotification {
    pub height: u64,
    /// The transaction's events (the wasm events carry the contract's attributes).
    pub events: Vec<TxEvent>,
}

impl TxNotification {
    /// Values of `key` in events of `kind`, in order.
    pub fn attributes<'a>(
        &'a self,
        kind: &'a str,
        key: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.events
            .iter()
            .filter(move |e| e.kind == kind)
            .flat_map(|e| e.attributes.iter())
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The WebSocket URL of an RPC endpoint: `http://h:26657` → `ws://h:26657/websocket`.
pub fn websocket_url(rpc: &str) -> String {
    let rpc = rpc.trim_end_matches('/');
    let ws = if let Some(rest) = rpc.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = rpc.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        rpc.to_string()
    };
    if ws.ends_with("/websocket") {
        ws
    } else {
        format!("{ws}/websocket")
    }
}

/// Transactions matching a query, as they are included. Dropping it closes the socket.
pub struct TxStream {
    inner: Pin<Box<dyn Stream<Item = Result<TxNotification>> + Send>>,
    client: WebSocketClient,
    driver: JoinHandle<()>,
}

impl Stream for TxStream {
    type Item = Result<TxNotification>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl Drop for TxStream {
    fn drop(&mut self) {
        let _ = self.client.clone().close();
        self.driver.abort();
    }
}

/// Subscribes at `rpc` (an HTTP RPC URL) to transactions matching `query`, a CometBFT
/// query such as `wasm._contract_address='wasm1…' AND wasm.action='open_lease'`
/// (`tm.event='Tx'` is added).
pub async fn subscribe_txs(rpc: &str, query: &str) -> Result<TxStream> {
    let url = websocket_url(rpc);
    let full = if query.contains("tm.event") {
        query.to_string()
    } else {
        format!("tm.event='Tx' AND {query}")
    };
    let query: Query = full
        .parse()
        .map_err(|e| Error::bad_input(format!("event query {full:?}: {e}")))?;
    let (client, driver) = WebSocketClient::new(url.as_str())
        .await
        .map_err(|e| from_rpc(&url, e))?;
    let driver = tokio::spawn(async move {
        let _ = driver.run().await;
    });
    let subscription = match client.subscribe(query).await {
        Ok(s) => s,
        Err(e) => {
            driver.abort();
            return Err(from_rpc(&url, e));
        }
    };
    let endpoint = url.clone();
    let inner = subscription.map(move |item| {
        let event = item.map_err(|e| from_rpc(&endpoint, e))?;
        match event.data {
            EventData::Tx { tx_result } => Ok(TxNotification {
                height: u64::try_from(tx_result.height).unwrap_or_default(),
                events: crate::tx::decode_tx_events(&tx_result.result.events),
            }),
            _ => Err(Error::decode("subscription event", "not a transaction")),
        }
    });
    Ok(TxStream {
        inner: Box::pin(inner),
        client,
        driver,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_url_from_rpc_url() {
        assert_eq!(
            websocket_url("http://127.0.0.1:26657"),
            "ws://127.0.0.1:26657/websocket"
        );
        assert_eq!(
            websocket_url("https://rpc.example/"),
            "wss://rpc.example/websocket"
        );
        assert_eq!(websocket_url("ws://h:1/websocket"), "ws://h:1/websocket");
    }
}
