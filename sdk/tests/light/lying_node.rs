//! A JSON-RPC proxy on 127.0.0.1 in front of the real node that passes every answer
//! through a tamper function: the lying node of the light client's tests.

use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Changes one JSON-RPC answer: (method, params, result) → the result to send instead.
pub type Tamper = dyn Fn(&str, &Value, &mut Value) + Send + Sync;

/// Starts a proxy on 127.0.0.1 forwarding JSON-RPC to `node`, passing every answer
/// through `tamper`; returns its URL. It lives as long as the test's runtime.
pub async fn lying_node(node: String, tamper: Arc<Tamper>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let http = reqwest::Client::new();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (node, tamper, http) = (node.clone(), tamper.clone(), http.clone());
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut read = BufReader::new(read);
                // One request after another on a kept-alive connection.
                while let Some(body) = read_request(&mut read).await {
                    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
                        return;
                    };
                    let Ok(answer) = http.post(&node).body(body).send().await else {
                        return;
                    };
                    let Ok(bytes) = answer.bytes().await else {
                        return;
                    };
                    let Ok(mut answer) = serde_json::from_slice::<Value>(&bytes) else {
                        return;
                    };
                    let method = request["method"].as_str().unwrap_or_default().to_string();
                    if let Some(result) = answer.get_mut("result") {
                        tamper(&method, &request["params"], result);
                    }
                    let out = serde_json::to_vec(&answer).expect("json");
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        out.len()
                    );
                    if write.write_all(head.as_bytes()).await.is_err()
                        || write.write_all(&out).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// The body of the next HTTP request on the connection; `None` at its end.
async fn read_request<R: tokio::io::AsyncBufRead + Unpin>(read: &mut R) -> Option<Vec<u8>> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    read.read_exact(&mut body).await.ok()?;
    Some(body)
}
