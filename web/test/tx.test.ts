// sendTx's states against a fake signing client: the order the page shows them in, and
// each way a transaction ends.
import { describe, expect, it, vi } from "vitest";
import type { AppConfig } from "../src/config";
import { describeTx, sendTx, type TxState } from "../src/tx";
import type { Wallet } from "../src/wallet";

const config = { gasPrice: 0.025, feeDenom: "ustake" } as AppConfig;
const HASH = "A".repeat(64);

function wallet(client: Partial<Wallet["client"]>): Wallet {
  return { address: "wasm1me", name: "test", client: client as Wallet["client"] };
}

async function run(client: Partial<Wallet["client"]>) {
  vi.useFakeTimers();
  const states: TxState["kind"][] = [];
  const done = sendTx(config, wallet(client), [{ contractAddress: "wasm1c", msg: { x: {} } }], (s) => states.push(s.kind));
  await vi.runAllTimersAsync();
  const final = await done;
  vi.useRealTimers();
  return { states, final };
}

describe("sendTx", () => {
  it("goes simulating → signing → pending → included, with the simulated gas raised", async () => {
    const signAndBroadcastSync = vi.fn(async () => HASH);
    let polls = 0;
    const { states, final } = await run({
      simulate: async () => 100_000,
      signAndBroadcastSync,
      getTx: async () => (++polls < 3 ? null : ({ code: 0, height: 42, rawLog: "" } as never)),
    });
    expect(states).toEqual(["simulating", "signing", "pending", "included"]);
    expect(final).toEqual({ kind: "included", hash: HASH, height: 42 });
    const fee = (signAndBroadcastSync.mock.calls[0] as unknown[])[2] as { gas: string; amount: { amount: string; denom: string }[] };
    expect(fee.gas).toBe("140000");
    expect(fee.amount).toEqual([{ amount: "3500", denom: "ustake" }]);
    expect(describeTx(final)).toBe(`Included in block 42 (${HASH.slice(0, 12)}…).`);
  });

  it("stops at simulation with the contract's error in words: nothing is signed", async () => {
    const signAndBroadcastSync = vi.fn();
    const { states, final } = await run({
      simulate: async () => {
        throw new Error("Query failed with (6): rpc error: code = Unknown desc = failed to execute message; message index: 0: lease 3 is Closed, this needs Pending or Active: execute wasm contract failed");
      },
      signAndBroadcastSync,
    });
    expect(states).toEqual(["simulating", "failed"]);
    expect(final).toEqual({ kind: "failed", message: "Lease 3 is Closed, this needs Pending or Active" });
    expect(signAndBroadcastSync).not.toHaveBeenCalled();
  });

  it("reports a rejected signature as such", async () => {
    const { states, final } = await run({
      simulate: async () => 1,
      signAndBroadcastSync: async () => {
        throw new Error("Request rejected");
      },
    });
    expect(states).toEqual(["simulating", "signing", "rejected"]);
    expect(describeTx(final)).toMatch(/You rejected the request in Keplr/);
  });

  it("reports a transaction included with an error code with the chain's reason", async () => {
    const { final } = await run({
      simulate: async () => 1,
      signAndBroadcastSync: async () => HASH,
      getTx: async () => ({ code: 5, height: 9, rawLog: "failed to execute message; message index: 0: Overflow: Cannot Sub with given operands: execute wasm contract failed" }) as never,
    });
    expect(final).toEqual({ kind: "failed", hash: HASH, message: "Not enough GUT in this account for the deposit." });
  });

  it("gives up after a minute without inclusion, naming the hash", async () => {
    const { final } = await run({ simulate: async () => 1, signAndBroadcastSync: async () => HASH, getTx: async () => null });
    expect(final.kind).toBe("failed");
    expect(describeTx(final)).toMatch(/Not included within a minute/);
  });

  it("starts again once when another transaction from the account got in first (a node heartbeating from the key)", async () => {
    const race = new Error("Broadcasting transaction failed with code 32 (codespace: sdk). Log: account sequence mismatch, expected 8, got 7: incorrect account sequence");
    let broadcasts = 0;
    const seen: TxState[] = [];
    vi.useFakeTimers();
    const done = sendTx(
      config,
      wallet({
        simulate: async () => 1,
        signAndBroadcastSync: async () => {
          if (++broadcasts === 1) throw race;
          return HASH;
        },
        getTx: async () => ({ code: 0, height: 7, rawLog: "" }) as never,
      }),
      [{ contractAddress: "wasm1c", msg: { x: {} } }],
      (s) => seen.push(s),
    );
    await vi.runAllTimersAsync();
    const final = await done;
    vi.useRealTimers();
    expect(seen.map((s) => s.kind)).toEqual(["simulating", "signing", "simulating", "signing", "pending", "included"]);
    expect(describeTx(seen[3])).toMatch(/got in first .* sign again in Keplr/);
    expect(final.kind).toBe("included");
  });

  it("gives up with the reason in words when the account's sequence is taken twice", async () => {
    const { states, final } = await run({
      simulate: async () => {
        throw new Error("Query failed with (6): rpc error: code = Unknown desc = account sequence mismatch, expected 8, got 7: incorrect account sequence");
      },
    });
    expect(states).toEqual(["simulating", "simulating", "failed"]);
    expect(describeTx(final)).toMatch(/^Failed: Another transaction from this account .* was sent at the same moment: nothing was sent, try again\.$/);
  });
});
