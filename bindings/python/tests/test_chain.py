"""Against testnet/e2e's chain: wallets, GUT balances and transfers, verified reads,
the market's lease flow, chain errors as exceptions, a cancelled call, mining.

Each test makes fresh wallets, funded by the public test keys (faucet: fees,
treasury: GUT), so balances are exact whatever else ran on the chain."""

import asyncio
import os
import pathlib
import time

import pytest

import gpunion

pytestmark = pytest.mark.chain

REPO = pathlib.Path(__file__).resolve().parents[3]
FEES = 50_000_000  # ustake: plenty of gas
STAKE = 1_000_000_000  # ugut: the local market's minimum stake
PRICE = 3_600_000  # ugut per GPU-hour: 1,000 ugut a second


def run(coro):
    return asyncio.run(coro)


def attributes():
    return gpunion.ProviderAttributes(
        gpu_model="Python Test GPU",
        gpu_count=1,
        memory_mib=24_576,
        backend="vulkan",
        features=["SHADER_INT64"],
        max_compute_invocations_per_workgroup=1024,
        max_compute_workgroup_storage_size=49_152,
        max_storage_buffer_binding_size=2_147_483_648,
        max_buffer_size=4_294_967_296,
        x16s_hashrate=1_000_000,
        country="DE",
        geohash="u33db",
        price_per_hour=PRICE,
        peer_id="12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN",
        multiaddrs=["/ip4/127.0.0.1/tcp/4001"],
        workloads=[gpunion.WorkloadKind.WGSL_BUNDLE],
    )


async def fresh(client, account_of, gut=0):
    """A new wallet's account with fees and `gut` ugut."""
    wallet = gpunion.Wallet.generate(client.address_prefix())
    await account_of("faucet").transfer_fee_token(wallet.address(), FEES)
    if gut:
        await account_of("treasury").transfer_gut(wallet.address(), gut)
    return client.account(wallet)


async def provider_ready(client, account_of):
    """A freshly registered provider."""
    account = await fresh(client, account_of, gut=STAKE)
    provider = account.provider()
    await provider.register(STAKE, attributes())
    return provider


def test_transfer_moves_exact_gut_and_verified_reads_see_it(client, account_of):
    async def go():
        treasury = account_of("treasury")
        wallet = gpunion.Wallet.generate(client.address_prefix())
        assert (await client.gut_balance(wallet.address())).amount == 0
        before = await client.gut_balance(treasury.address())
        tx = await treasury.transfer_gut(wallet.address(), 1_234_567)
        assert tx.height > 0 and len(tx.hash) == 64
        after = await client.gut_balance(wallet.address())
        assert after.amount == 1_234_567
        # Proven at a state no older than the transfer's block.
        assert after.height >= tx.height
        spent = await client.gut_balance(treasury.address())
        assert before.amount - spent.amount == 1_234_567

    run(go())


def test_fee_balance_is_a_proven_read(client, account_of):
    async def go():
        wallet = gpunion.Wallet.generate(client.address_prefix())
        assert (await client.fee_balance(wallet.address())).amount == 0
        await account_of("faucet").transfer_fee_token(wallet.address(), 777)
        read = await client.fee_balance(wallet.address())
        assert read.amount == 777 and read.height > 0

    run(go())


def test_fail_over_skips_a_dead_endpoint(client):
    dead_first = gpunion.Client(os.environ["GPUNION_DEPLOYMENT"], ["http://127.0.0.1:9", os.environ["RPC_URL"]])
    assert run(dead_first.latest_height()) > 0
    only_dead = gpunion.Client(os.environ["GPUNION_DEPLOYMENT"], ["http://127.0.0.1:9"])
    with pytest.raises(gpunion.GpunionError.Network):
        run(only_dead.latest_height())


def test_insufficient_funds_is_chain_rejected(client, account_of):
    async def go():
        poor = await fresh(client, account_of)
        with pytest.raises(gpunion.GpunionError.ChainRejected) as caught:
            await poor.transfer_fee_token(account_of("faucet").address(), FEES * 10)
        assert (caught.value.code, caught.value.codespace) == (5, "sdk")
        # GUT it does not have: the token contract's own error.
        with pytest.raises(gpunion.GpunionError.Contract):
            await poor.transfer_gut(account_of("faucet").address(), 1)

    run(go())


def test_a_lease_that_does_not_exist(client, account_of):
    async def go():
        assert await client.lease(10_000_000) is None
        customer = (await fresh(client, account_of, gut=1_000_000)).customer()
        with pytest.raises(gpunion.GpunionError.NotFound):
            await customer.extend_lease(10_000_000, 60)
        with pytest.raises(gpunion.GpunionError.Contract):
            await customer.close_lease(10_000_000)

    run(go())


def test_lease_open_accept_withdraw_close_rate(client, account_of):
    async def go():
        provider = await provider_ready(client, account_of)
        record = await provider.record()
        assert record.status == gpunion.ProviderStatus.IDLE and record.stake == STAKE
        found = await client.providers(gpunion.ProviderFilter(gpu_model="Python Test GPU", country="DE"))
        assert provider.address() in [p.address for p in found]
        ranked = await client.recommend(
            gpunion.RecommendRequest(country="DE", geohash="u33db", max_price_per_hour=PRICE, gpu_model="Python Test GPU")
        )
        assert provider.address() in [r.provider for r in ranked]
        assert all(0 <= r.score <= 1 for r in ranked)

        customer_account = await fresh(client, account_of, gut=10_000_000)
        customer = customer_account.customer()
        workload = gpunion.Workload(
            cid="bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            kind=gpunion.WorkloadKind.WGSL_BUNDLE,
        )
        with pytest.raises(gpunion.GpunionError.BadInput):
            await customer.open_lease(provider.address(), 600, workload, PRICE - 1)
        opened = await customer.open_lease(provider.address(), 600, workload, PRICE)
        lease = await client.lease(opened.lease_id)
        assert lease.state == gpunion.LeaseState.PENDING
        assert lease.deposit == 600_000  # 600 s at 1,000 ugut/s
        assert opened.lease_id in await provider.pending_leases()

        await provider.accept(opened.lease_id)
        await customer.extend_lease(opened.lease_id, 60)
        await asyncio.sleep(2)
        await provider.heartbeat()
        withdrawn = await provider.withdraw(opened.lease_id)
        assert withdrawn is not None
        await customer.close_lease(opened.lease_id)
        await client.catch_up()
        closed = await customer.lease(opened.lease_id)
        assert closed.state == gpunion.LeaseState.CLOSED
        assert closed.deposit == 660_000
        assert closed.paid_to_provider > 0
        assert closed.paid_to_provider + closed.refunded == closed.deposit
        balance = await client.gut_balance(customer.address())
        assert balance.amount == 10_000_000 - closed.paid_to_provider

        await customer.rate(opened.lease_id, 5, None)
        reputation = await client.reputation(provider.address())
        assert reputation.ratings == 1 and reputation.rating_average > 1
        with pytest.raises(gpunion.GpunionError.BadInput):
            await customer.rate(opened.lease_id, 6, None)

    run(go())


class Heard(gpunion.JobListener):
    def __init__(self):
        self.steps = []

    def on_progress(self, progress):
        self.steps.append(progress)


def test_a_cancelled_job_stops_waiting_and_the_client_still_works(client, account_of, tmp_path):
    """run_job uploads the bundle and opens the lease, then waits for a provider whose
    node is not running: cancelling it must end the call at once."""

    async def go():
        provider = await provider_ready(client, account_of)
        customer = (await fresh(client, account_of, gut=10_000_000)).customer()
        heard = Heard()
        order = gpunion.JobOrder(
            workload=str(REPO / "shaders/jobs/mandelbrot"),
            provider=provider.address(),
            seconds=600,
            max_price_per_hour=PRICE,
            out=str(tmp_path / "result"),
        )
        task = asyncio.create_task(customer.run_job(order, os.environ["IPFS_API"], heard))
        deadline = time.monotonic() + 60
        while not any(isinstance(s, gpunion.JobProgress.WAITING) for s in heard.steps):
            assert time.monotonic() < deadline, heard.steps
            assert not task.done(), task
            await asyncio.sleep(0.2)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 2
        kinds = [type(s) for s in heard.steps]
        assert kinds[:3] == [gpunion.JobProgress.VALIDATED, gpunion.JobProgress.UPLOADED, gpunion.JobProgress.OPENED], kinds
        opened = next(s for s in heard.steps if isinstance(s, gpunion.JobProgress.OPENED))
        # Nothing is left running: the lease stays Pending until the customer closes it.
        count = len(heard.steps)
        await asyncio.sleep(2)
        assert len(heard.steps) == count
        await customer.close_lease(opened.lease_id)
        assert (await customer.lease(opened.lease_id)).state == gpunion.LeaseState.CLOSED

    run(go())


def test_mining_solves_the_challenge(client, account_of):
    async def go():
        miner = (await fresh(client, account_of)).miner()
        before = await miner.challenge()
        solution = await miner.mine_one()
        assert solution.height >= before.height and solution.reward > 0
        after = await miner.challenge()
        assert after.height > before.height

    run(go())
