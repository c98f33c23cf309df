"""The chain the tests under `chain` run against: testnet/e2e's (GPUNION_DEPLOYMENT,
RPC_URL, IPFS_API), with the public test keys of testnet/accounts.json."""

import os
import pathlib

import pytest

import gpunion

REPO = pathlib.Path(__file__).resolve().parents[3]


def pytest_collection_modifyitems(config, items):
    """The chain tests run when testnet/e2e's chain is there (GPUNION_DEPLOYMENT set);
    without it they are deselected, and the summary says how many."""
    if os.environ.get("GPUNION_DEPLOYMENT"):
        missing = [v for v in ("RPC_URL", "IPFS_API") if not os.environ.get(v)]
        if missing:
            raise pytest.UsageError(f"GPUNION_DEPLOYMENT is set but not {', '.join(missing)}")
        return
    chain = [item for item in items if item.get_closest_marker("chain")]
    if chain:
        config.hook.pytest_deselected(items=chain)
        items[:] = [item for item in items if not item.get_closest_marker("chain")]


@pytest.fixture(scope="session")
def client():
    return gpunion.Client(os.environ["GPUNION_DEPLOYMENT"], [os.environ["RPC_URL"]])


@pytest.fixture(scope="session")
def test_accounts():
    return {a.name: a for a in gpunion.load_test_accounts(str(REPO / "testnet/accounts.json"))}


@pytest.fixture(scope="session")
def account_of(client, test_accounts):
    """The account of a public test key, one per name (an account numbers its
    transactions)."""
    made = {}

    def of(name):
        if name not in made:
            wallet = gpunion.Wallet.from_mnemonic(test_accounts[name].mnemonic, client.address_prefix())
            made[name] = client.account(wallet)
        return made[name]

    return of
