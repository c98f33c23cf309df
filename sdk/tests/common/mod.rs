//! What the end-to-end test files share: where the repository, the deployment and the
//! node are (the testnet harness sets GPUNION_DEPLOYMENT and RPC_URL).

use std::path::PathBuf;

use gpunion_sdk::{Deployment, TestAccounts};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The deployment the harness wrote (or `testnet/deployment.json`).
pub fn deployment() -> Deployment {
    let path = std::env::var("GPUNION_DEPLOYMENT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("testnet/deployment.json"));
    Deployment::load(&path).expect("deployment written by testnet/deploy")
}

/// The node's RPC URL: RPC_URL, else the deployment's.
pub fn rpc_url(d: &Deployment) -> String {
    std::env::var("RPC_URL").unwrap_or_else(|_| d.rpc.clone())
}

/// The public test accounts.
pub fn accounts() -> TestAccounts {
    TestAccounts::load(repo().join("testnet/accounts.json")).expect("testnet/accounts.json")
}
