package org.gpunion

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Keys, records and errors: no chain needed. */
class OfflineTest {
    @Test
    fun `an imported wallet derives the known address and hides its secret`() {
        val wallet = Wallet.fromMnemonic(VALIDATOR, "wasm")
        assertEquals("wasm1q9p9mcrjnnakay6lflyznrgpp7hge6zfngk2vl", wallet.address())
        assertFalse(wallet.toString().contains("oval"))
        assertEquals(VALIDATOR, wallet.exportMnemonic())
    }

    @Test
    fun `generated wallets are new and reimport`() {
        val a = Wallet.generate("wasm")
        val b = Wallet.generate("wasm")
        assertNotEquals(a.address(), b.address())
        assertEquals(24, a.exportMnemonic().split(" ").size)
        assertEquals(a.address(), Wallet.fromMnemonic(a.exportMnemonic(), "wasm").address())
    }

    @Test
    fun `a bad mnemonic is BadInput without the phrase`() {
        val e = assertThrows<GpunionException.BadInput> { Wallet.fromMnemonic("oval army slide", "wasm") }
        assertFalse(e.message!!.contains("oval"))
    }

    @Test
    fun `a bad deployment is a Decode error`() {
        assertThrows<GpunionException.Decode> { Client.fromJson("{", listOf()) }
    }

    @Test
    fun `records are data classes with defaults`() {
        val filter = ProviderFilter(country = "DE")
        assertEquals(filter, filter.copy())
        assertNull(filter.maxPricePerHour)
        assertNotEquals(LeaseState.PENDING, LeaseState.CLOSED)
    }

    companion object {
        // testnet/accounts.json: a public test key.
        const val VALIDATOR =
            "oval army slide sense latin task genuine gossip enable rough pool human risk " +
                "shove fabric cargo future harbor habit welcome once boss shrimp member"
    }
}
