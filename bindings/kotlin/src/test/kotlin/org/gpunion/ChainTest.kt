package org.gpunion

import java.io.File
import java.nio.file.Files
import java.util.Collections
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Against testnet/e2e's chain (GPUNION_DEPLOYMENT, RPC_URL, IPFS_API): wallets, GUT
 * balances and transfers, verified reads, the lease flow, chain errors as exceptions, a
 * cancelled call. Each test makes fresh wallets, funded by the public test keys (faucet:
 * fees, treasury: GUT), so balances are exact whatever else ran on the chain.
 */
@Tag("chain")
class ChainTest {
    private val deployment = env("GPUNION_DEPLOYMENT")
    private val rpc = env("RPC_URL")
    private val client = Client(deployment, listOf(rpc))
    private val repo = File(System.getProperty("user.dir")).resolve("../..").canonicalFile
    private val keys = loadTestAccounts(repo.resolve("testnet/accounts.json").path).associateBy { it.name }
    private val faucet = testAccount("faucet")
    private val treasury = testAccount("treasury")

    private fun env(name: String): String =
        System.getenv(name) ?: error("$name is not set: run under testnet/e2e")

    private fun testAccount(name: String): Account =
        client.account(Wallet.fromMnemonic(keys.getValue(name).mnemonic, client.addressPrefix()))

    /** A new wallet's account with fees and [gut] ugut. */
    private suspend fun fresh(gut: ULong = 0uL): Account {
        val wallet = Wallet.generate(client.addressPrefix())
        faucet.transferFeeToken(wallet.address(), FEES)
        if (gut > 0uL) treasury.transferGut(wallet.address(), gut)
        return client.account(wallet)
    }

    private suspend fun registeredProvider(): Provider {
        val provider = fresh(STAKE).provider()
        provider.register(STAKE, attributes())
        return provider
    }

    @Test
    fun `a transfer moves exact GUT and verified reads see it`() = runBlocking {
        val wallet = Wallet.generate(client.addressPrefix())
        assertEquals(0uL, client.gutBalance(wallet.address()).amount)
        val before = client.gutBalance(treasury.address()).amount
        val tx = treasury.transferGut(wallet.address(), 1_234_567uL)
        assertEquals(64, tx.hash.length)
        val after = client.gutBalance(wallet.address())
        assertEquals(1_234_567uL, after.amount)
        assertTrue(after.height >= tx.height)
        assertEquals(1_234_567uL, before - client.gutBalance(treasury.address()).amount)
    }

    @Test
    fun `the fee balance is a proven read`() = runBlocking {
        val wallet = Wallet.generate(client.addressPrefix())
        assertEquals(0uL, client.feeBalance(wallet.address()).amount)
        faucet.transferFeeToken(wallet.address(), 777uL)
        assertEquals(777uL, client.feeBalance(wallet.address()).amount)
    }

    @Test
    fun `fail-over skips a dead endpoint`() = runBlocking {
        assertTrue(Client(deployment, listOf("http://127.0.0.1:9", rpc)).latestHeight() > 0uL)
        assertThrows<GpunionException.Network> {
            runBlocking { Client(deployment, listOf("http://127.0.0.1:9")).latestHeight() }
        }
        Unit
    }

    @Test
    fun `insufficient funds is ChainRejected`() = runBlocking {
        val poor = fresh()
        val e = assertThrows<GpunionException.ChainRejected> {
            runBlocking { poor.transferFeeToken(faucet.address(), FEES * 10uL) }
        }
        assertEquals(5u, e.code)
        assertEquals("sdk", e.codespace)
        assertThrows<GpunionException.Contract> { runBlocking { poor.transferGut(faucet.address(), 1uL) } }
        Unit
    }

    @Test
    fun `a lease that does not exist`() = runBlocking {
        assertNull(client.lease(10_000_000uL))
        val customer = fresh(1_000_000uL).customer()
        assertThrows<GpunionException.NotFound> { runBlocking { customer.extendLease(10_000_000uL, 60uL) } }
        assertThrows<GpunionException.Contract> { runBlocking { customer.closeLease(10_000_000uL) } }
        Unit
    }

    @Test
    fun `a lease is opened, accepted, paid and closed`() = runBlocking {
        val provider = registeredProvider()
        assertEquals(ProviderStatus.IDLE, provider.record()!!.status)
        val found = client.providers(ProviderFilter(gpuModel = GPU_MODEL, country = "DE"))
        assertTrue(found.any { it.address == provider.address() })
        val ranked = client.recommend(RecommendRequest("DE", "u33db", PRICE, gpuModel = GPU_MODEL))
        assertTrue(ranked.any { it.provider == provider.address() })

        val customer = fresh(10_000_000uL).customer()
        val opened = customer.openLease(provider.address(), 600uL, WORKLOAD, PRICE)
        val lease = client.lease(opened.leaseId)!!
        assertEquals(LeaseState.PENDING, lease.state)
        assertEquals(600_000uL, lease.deposit)
        provider.accept(opened.leaseId)
        delay(2_000)
        provider.heartbeat()
        assertNotNull(provider.withdraw(opened.leaseId))
        customer.closeLease(opened.leaseId)
        client.catchUp()
        val closed = customer.lease(opened.leaseId)!!
        assertEquals(LeaseState.CLOSED, closed.state)
        assertTrue(closed.paidToProvider > 0uL)
        assertEquals(closed.deposit, closed.paidToProvider + closed.refunded)
        assertEquals(10_000_000uL - closed.paidToProvider, client.gutBalance(customer.address()).amount)
        customer.rate(opened.leaseId, 4u, null)
        assertEquals(1uL, client.reputation(provider.address()).ratings)
    }

    @Test
    fun `a cancelled job stops waiting and the client still works`() = runBlocking {
        val provider = registeredProvider()
        val customer = fresh(10_000_000uL).customer()
        val heard = Collections.synchronizedList(mutableListOf<JobProgress>())
        val listener = object : JobListener {
            override fun onProgress(progress: JobProgress) {
                heard.add(progress)
            }
        }
        val out = Files.createTempDirectory("gpunion-job").resolve("result").toString()
        val order = JobOrder(repo.resolve("shaders/jobs/mandelbrot").path, provider.address(), 600uL, PRICE, out)
        val job = async { customer.runJob(order, env("IPFS_API"), listener) }
        withTimeout(60_000) {
            while (heard.none { it is JobProgress.Waiting }) delay(200)
        }
        val started = System.nanoTime()
        job.cancel()
        assertThrows<CancellationException> { runBlocking { job.await() } }
        assertTrue(System.nanoTime() - started < 2_000_000_000L)
        val opened = heard.filterIsInstance<JobProgress.Opened>().single()
        val count = heard.size
        delay(2_000)
        assertEquals(count, heard.size)
        customer.closeLease(opened.leaseId)
        assertEquals(LeaseState.CLOSED, customer.lease(opened.leaseId)!!.state)
    }

    companion object {
        const val FEES = 50_000_000uL
        const val STAKE = 1_000_000_000uL
        const val PRICE = 3_600_000uL
        const val GPU_MODEL = "Kotlin Test GPU"
        val WORKLOAD = Workload("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", WorkloadKind.WGSL_BUNDLE)

        fun attributes() = ProviderAttributes(
            gpuModel = GPU_MODEL,
            gpuCount = 1u,
            memoryMib = 24_576uL,
            backend = "vulkan",
            features = listOf("SHADER_INT64"),
            maxComputeInvocationsPerWorkgroup = 1024u,
            maxComputeWorkgroupStorageSize = 49_152u,
            maxStorageBufferBindingSize = 2_147_483_648uL,
            maxBufferSize = 4_294_967_296uL,
            x16sHashrate = 1_000_000uL,
            country = "DE",
            geohash = "u33db",
            pricePerHour = PRICE,
            peerId = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN",
            multiaddrs = listOf("/ip4/127.0.0.1/tcp/4001"),
            workloads = listOf(WorkloadKind.WGSL_BUNDLE),
        )
    }
}
