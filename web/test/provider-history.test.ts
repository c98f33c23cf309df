// A provider's history from the chain's transaction index (payouts, mining rewards), the
// sums the dashboard shows, and its leases on a time axis.
import { describe, expect, it } from "vitest";
import type { Lease, LeaseResponse } from "../src/contracts/market";
import { leaseTimeline, miningRewards, payouts, runningTotal, sumUgut, withdrawPlan, type IndexedEvents } from "../src/provider-history";

const GUT = "wasm1gut";
const MARKET = "wasm1market";
const MINING = "wasm1mining";
const ME = "wasm1provider";

const wasm = (attrs: Record<string, string>) => ({ type: "wasm", attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })) });
const transfer = (from: string, to: string, amount: string) => wasm({ _contract_address: GUT, action: "transfer", from, to, amount });
const tx = (height: number, ...events: ReturnType<typeof wasm>[]): IndexedEvents => ({
  height,
  events: [{ type: "message", attributes: [{ key: "sender", value: "x" }] }, ...events],
});

describe("payouts", () => {
  it("counts the market's transfers to the provider, net of the fee, and nothing else", () => {
    const txs = [
      // A withdraw: 990 to the provider, the 10 fee to the treasury.
      tx(10, wasm({ _contract_address: MARKET, action: "withdraw", lease_id: "1", amount: "1000" }), transfer(MARKET, ME, "990"), transfer(MARKET, "wasm1treasury", "10")),
      // Two settlements in one transaction.
      tx(20, wasm({ _contract_address: MARKET, action: "close_lease" }), transfer(MARKET, ME, "100"), transfer(MARKET, "wasm1customer", "5"), transfer(MARKET, ME, "50")),
      // A top-up from someone else, and the stake coming back: not earnings.
      tx(30, transfer("wasm1treasury", ME, "5000")),
      tx(40, wasm({ _contract_address: MARKET, action: "claim_stake" }), transfer(MARKET, ME, "1000000000")),
      // Another token's transfer with the same attributes.
      tx(50, wasm({ _contract_address: "wasm1other", action: "transfer", from: MARKET, to: ME, amount: "7" })),
    ];
    expect(payouts(txs, { gut: GUT, market: MARKET, provider: ME })).toEqual([
      { height: 10, ugut: 990n },
      { height: 20, ugut: 150n },
    ]);
  });
});

describe("miningRewards", () => {
  it("takes the reward of each solution the miner submitted", () => {
    const submit = (miner: string, reward: string) => wasm({ _contract_address: MINING, action: "submit", miner, height: "1", reward });
    const txs = [tx(5, submit(ME, "50000000")), tx(6, submit("wasm1else", "50000000")), tx(9, submit(ME, "25000000"))];
    expect(miningRewards(txs, { mining: MINING, miner: ME })).toEqual([
      { height: 5, ugut: 50_000_000n },
      { height: 9, ugut: 25_000_000n },
    ]);
  });
});

describe("sums", () => {
  it("runs totals by height, one point per height", () => {
    expect(runningTotal([{ height: 9, ugut: 5n }, { height: 3, ugut: 1n }, { height: 9, ugut: 2n }])).toEqual([
      [3, 1n],
      [9, 8n],
    ]);
    expect(runningTotal([])).toEqual([]);
  });
  it("sums ugut strings beyond float precision", () => {
    expect(sumUgut(["9007199254740993", "1", 2n])).toBe(9007199254740996n);
    expect(sumUgut([])).toBe(0n);
  });
  it("plans a withdraw from the Active leases with something due", () => {
    const lease = (id: number, state: Lease["state"], withdrawable: string) =>
      ({ lease: { id, state }, earned: "0", withdrawable }) as unknown as LeaseResponse;
    expect(withdrawPlan([lease(1, "active", "300"), lease(2, "active", "0"), lease(3, "closed", "5"), lease(4, "active", "1200")])).toEqual({
      leaseIds: [1, 4],
      ugut: 1500n,
    });
    expect(withdrawPlan([])).toEqual({ leaseIds: [], ugut: 0n });
  });
});

describe("leaseTimeline", () => {
  const lease = (id: number, state: Lease["state"], start: number, end: number, closed_at: number | null = null) =>
    ({ id, state, start, end, closed_at, deposit: "300000", paid_to_provider: "1000" }) as Lease;
  it("places each window on one axis, to its end or to when it ended early", () => {
    const t = leaseTimeline([lease(3, "active", 1500, 2000), lease(2, "closed", 1000, 2000, 1200), lease(1, "expired", 1000, 1100)], 1800)!;
    expect([t.from, t.until]).toEqual([1000, 2000]);
    expect(t.bars.map((b) => [b.id, b.x0, b.x1])).toEqual([
      [3, 0.5, 1],
      [2, 0, 0.2],
      [1, 0, 0.1],
    ]);
    expect(t.bars[1].label).toMatch(/^Lease 2, closed: booked .* for 16 min 40 s, ended .*; deposit 0\.3 GUT, paid 0\.001 GUT$/);
  });
  it("reaches to now when every lease ended before, and shows the newest only", () => {
    const many = Array.from({ length: 20 }, (_, i) => lease(20 - i, "closed", 1000 + (19 - i) * 10, 1010 + (19 - i) * 10));
    const t = leaseTimeline(many, 3000, 5)!;
    expect(t.bars.map((b) => b.id)).toEqual([20, 19, 18, 17, 16]);
    expect([t.from, t.until]).toEqual([1150, 3000]);
    expect(leaseTimeline([], 3000)).toBeUndefined();
  });
});
