"""The README's example: a new wallet, a GUT transfer, a verified balance, a typed error.

    python examples/quickstart.py testnet/deployment.json http://127.0.0.1:26657 "<treasury mnemonic>"

tests/test_types.py type-checks it with mypy --strict."""

import asyncio
import sys

import gpunion


async def main(deployment: str, rpc_url: str, phrase: str) -> None:
    client = gpunion.Client(deployment, [rpc_url])
    wallet = gpunion.Wallet.generate(client.address_prefix())
    treasury = client.account(gpunion.Wallet.from_mnemonic(phrase, client.address_prefix()))
    tx = await treasury.transfer_gut(wallet.address(), 1_000_000)
    balance = await client.gut_balance(wallet.address())
    print(f"{wallet.address()}: {balance.amount} ugut at height {balance.height} (tx {tx.hash})")
    try:
        # The new wallet has GUT but no fee token to pay gas with.
        await client.account(wallet).transfer_gut(treasury.address(), 1)
    except gpunion.GpunionError.ChainRejected as e:
        print(f"rejected: code {e.code} of {e.codespace}: {e.log}")
    except gpunion.GpunionError.Network as e:
        print(f"no answer from {e.endpoint}: {e.detail}")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
