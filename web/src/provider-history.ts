// A provider's history as the chain keeps it: what the market paid it and what the
// mining contract minted it, read from the chain's transaction index (the events of each
// transaction), and its leases laid out on a time axis. Pure: the page reads the chain,
// these turn what it read into figures.
import type { Lease, LeaseResponse, LeaseState } from "./contracts/market";
import { dateTime, duration, gut } from "./format";

/** A transaction as the index returns it (cosmjs's IndexedTx, the parts read here). */
export interface IndexedEvents {
  height: number;
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

/** An amount credited at a block height. */
export interface Credit {
  height: number;
  ugut: bigint;
}

/** The `wasm` events of a transaction, each as a map of its attributes. */
function wasmEvents(tx: IndexedEvents): Map<string, string>[] {
  return tx.events
    .filter((e) => e.type === "wasm")
    .map((e) => new Map(e.attributes.map((a) => [a.key, a.value])));
}

/**
 * What the market paid `provider` in each transaction: the GUT token's transfers from the
 * market to it (withdrawals, settlements, check fees), net of the protocol fee. The
 * stake coming back (`claim_stake`) is the provider's own money, not earnings.
 */
export function payouts(txs: readonly IndexedEvents[], c: { gut: string; market: string; provider: string }): Credit[] {
  const out: Credit[] = [];
  for (const tx of txs) {
    const events = wasmEvents(tx);
    if (events.some((e) => e.get("_contract_address") === c.market && e.get("action") === "claim_stake")) continue;
    let ugut = 0n;
    for (const e of events) {
      if (e.get("_contract_address") !== c.gut || e.get("action") !== "transfer") continue;
      if (e.get("from") !== c.market || e.get("to") !== c.provider) continue;
      ugut += BigInt(e.get("amount") ?? "0");
    }
    if (ugut > 0n) out.push({ height: tx.height, ugut });
  }
  return out;
}

/** What the mining contract rewarded `miner` for each solution it submitted. */
export function miningRewards(txs: readonly IndexedEvents[], c: { mining: string; miner: string }): Credit[] {
  const out: Credit[] = [];
  for (const tx of txs) {
    for (const e of wasmEvents(tx)) {
      if (e.get("_contract_address") !== c.mining || e.get("action") !== "submit" || e.get("miner") !== c.miner) continue;
      out.push({ height: tx.height, ugut: BigInt(e.get("reward") ?? "0") });
    }
  }
  return out;
}

/** Running totals by block height, oldest first: one point per height. */
export function runningTotal(credits: readonly Credit[]): [number, bigint][] {
  const sorted = [...credits].sort((a, b) => a.height - b.height);
  const out: [number, bigint][] = [];
  let total = 0n;
  for (const c of sorted) {
    total += c.ugut;
    const last = out[out.length - 1];
    if (last && last[0] === c.height) last[1] = total;
    else out.push([c.height, total]);
  }
  return out;
}

/** A ugut total, the query answers' decimal strings summed without floats. */
export const sumUgut = (amounts: readonly (string | bigint)[]) => amounts.reduce<bigint>((s, a) => s + BigInt(a), 0n);

/** What a `Withdraw` per Active lease would pay now: the leases with something due, and the total. */
export function withdrawPlan(leases: readonly LeaseResponse[]): { leaseIds: number[]; ugut: bigint } {
  const due = leases.filter((l) => l.lease.state === "active" && BigInt(l.withdrawable) > 0n);
  return { leaseIds: due.map((l) => l.lease.id), ugut: sumUgut(due.map((l) => l.withdrawable)) };
}

/** One lease on the time axis: `x0`..`x1` are its window's place in [0, 1]. */
export interface TimelineBar {
  id: number;
  state: LeaseState;
  x0: number;
  x1: number;
  /** The lease in words: id, state, window. */
  label: string;
}

export interface Timeline {
  /** UNIX seconds at the axis's ends. */
  from: number;
  until: number;
  bars: TimelineBar[];
}

/**
 * The `limit` newest leases (`leases` newest first, as the market lists them) on one
 * time axis, from the earliest start to the latest end (or `now`, if later), newest on
 * top. A lease that ended early (closed, expired) is drawn to when it ended.
 */
export function leaseTimeline(leases: readonly Lease[], now: number, limit = 12): Timeline | undefined {
  const shown = leases.slice(0, limit);
  if (shown.length === 0) return undefined;
  const ends = (l: Lease) => Math.max(l.start, Math.min(l.end, l.closed_at ?? l.end));
  const from = Math.min(...shown.map((l) => l.start));
  const until = Math.max(now, ...shown.map(ends), from + 1);
  const at = (t: number) => (t - from) / (until - from);
  return {
    from,
    until,
    bars: shown.map((l) => ({
      id: l.id,
      state: l.state,
      x0: at(l.start),
      x1: at(ends(l)),
      label: `Lease ${l.id}, ${l.state}: booked ${dateTime(l.start)} for ${duration(l.end - l.start)}${l.closed_at ? `, ended ${dateTime(l.closed_at)}` : ""}; deposit ${gut(l.deposit)}, paid ${gut(l.paid_to_provider)}`,
    })),
  };
}
