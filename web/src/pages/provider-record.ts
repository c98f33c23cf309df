// A provider's public record as the contracts keep it (the market's attributes, status
// and statistics, the endorsement contract's reputation, ratings and endorsements, the
// mining contract's record of its mining account) and the sections that show it. The
// provider page and the node dashboard draw the same sections.
import type { Endorsement, Rating, Reputation } from "../contracts/endorsement";
import type { ProviderResponse } from "../contracts/market";
import type { MinerStats } from "../contracts/mining";
import { dateTime, gut, percent, provenHashrate } from "../format";
import { h, type Ctx } from "../ui";

export interface ProviderRecord {
  address: string;
  p: ProviderResponse;
  reputation: Reputation;
  ratings: Rating[];
  endorsements: Endorsement[];
  /** The account whose mining record vouches for the hashrate (the provider's own unless linked). */
  miner: string;
  mining: MinerStats | null;
  /** The chain's time when read, UNIX seconds. */
  now: number;
}

/** Hashes per second the mining record implies: its work over the time it spans. */
export function observedHashrate(s: MinerStats): number | undefined {
  const span = s.last_solution_time - s.first_solution_time;
  if (span <= 0) return undefined;
  return Number(BigInt(s.work)) / span;
}

/** Reads the record; `null` when the market has no such provider. */
export async function readProviderRecord(ctx: Ctx, address: string): Promise<ProviderRecord | null> {
  const p = await ctx.chain.provider(address);
  if (!p) return null;
  const miner = p.provider.attributes.mining_address ?? address;
  const [reputation, ratings, endorsements, mining, now] = await Promise.all([
    ctx.chain.reputation(address),
    ctx.chain.endorsement<Rating[]>({ ratings: { provider: address, limit: 20 } }),
    ctx.chain.endorsement<Endorsement[]>({ endorsements: { provider: address, limit: 30 } }),
    ctx.config.contracts.mining
      ? ctx.chain.mining<MinerStats | null>({ miner: { address: miner } }).catch(() => null)
      : Promise.resolve(null),
    ctx.chain.blockTime(),
  ]);
  return { address, p, reputation, ratings, endorsements, miner, mining, now };
}

/** A definition list of facts: `[term, description]` rows. */
export function facts(rows: [string, string | Node][], attrs: Record<string, string> = {}): HTMLDListElement {
  return h("dl", { class: "facts", ...attrs }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function attributes(r: ProviderRecord): HTMLElement {
  const a = r.p.provider.attributes;
  return facts([
    ["Memory per GPU", `${a.memory_mib} MiB`],
    ["Backend", a.compute.backend],
    ["Workloads", (a.workloads ?? ["wgsl_bundle"]).map((w) => (w === "wgsl_bundle" ? "WGSL bundle" : "OCI image")).join(", ")],
    ["Region", `${a.region.country}, geohash ${a.region.geohash}`],
    ["Price", `${gut(a.price_per_hour)} per GPU-hour`],
    ["Stake", gut(r.p.provider.stake)],
    ["Peer id", a.peer_id],
    ["Paused", r.p.provider.paused ? "yes" : "no"],
  ], { id: "provider-attributes" });
}

function reputation(r: ProviderRecord): HTMLElement {
  const rep = r.reputation;
  return facts([
    ["Score", percent(rep.score)],
    ["Rating", `${Number(rep.rating_average).toFixed(2)} ★ (${rep.ratings} ratings) → part ${percent(rep.rating_part)}`],
    ["Reliability", `${(r.p.reliability_permille / 10).toFixed(1)} % → part ${percent(rep.reliability_part)}`],
    ["Endorsement", `${gut(rep.endorsing_stake)} endorsing → part ${percent(rep.endorsement_part)}`],
    ["Hardware", `${provenHashrate(rep.hashrate)} → part ${percent(rep.hardware_part ?? "0")}`],
  ], { id: "reputation" });
}

function uptime(r: ProviderRecord): HTMLElement {
  const p = r.p.provider;
  const s = p.stats;
  return facts([
    ["Registered", dateTime(p.registered_at)],
    ["Last heartbeat", `${dateTime(p.last_heartbeat)} (${Math.max(0, r.now - p.last_heartbeat)} s ago)`],
    ["Heartbeats", String(s.heartbeats)],
    ["Leases", `${s.completed_leases} completed, ${s.expired_leases} expired, ${s.lapsed_leases} lapsed; ${p.open_leases} open`],
    ["Earned", gut(s.earned)],
    ["Slashed", gut(s.slashed)],
  ]);
}

function miningRecord(r: ProviderRecord): HTMLElement {
  const m = r.mining;
  const observed = m ? observedHashrate(m) : undefined;
  return facts([
    ["Claimed hashrate", `${Number(r.p.provider.attributes.x16s_hashrate).toLocaleString()} H/s`],
    ["Proven hashrate", provenHashrate(r.p.hashrate)],
    ["Mining account", r.miner],
    ...(m
      ? ([
          ["Solutions", String(m.solutions)],
          ["Minted", gut(m.minted)],
          ["Observed hashrate", observed === undefined ? "one solution so far" : `${Math.round(observed).toLocaleString()} H/s (work over ${m.last_solution_time - m.first_solution_time} s)`],
        ] as [string, string][])
      : ([["Solutions", "none yet"]] as [string, string][])),
  ], { id: "mining-record" });
}

function ratings(r: ProviderRecord): HTMLElement {
  return r.ratings.length
    ? h("ul", {}, ...r.ratings.map((x) => h("li", {}, `Lease ${x.lease_id}: ${"★".repeat(x.score)}${"☆".repeat(5 - x.score)} (${x.score}/5), weight ${gut(x.weight)}, ${dateTime(x.rated_at)}`)))
    : h("p", {}, "No ratings yet.");
}

function endorsements(r: ProviderRecord): HTMLElement {
  return r.endorsements.length
    ? h("ul", { id: "endorsements" }, ...r.endorsements.map((e) => h("li", {}, `${e.attribute}: "${e.claim}" by ${e.endorser}, ${dateTime(e.endorsed_at)}`)))
    : h("p", { id: "endorsements" }, "No endorsements yet.");
}

/** Every section of the record, each under a heading of level `heading`. */
export function recordSections(r: ProviderRecord, heading: "h3" | "h4"): HTMLElement[] {
  const sections: [string, (r: ProviderRecord) => HTMLElement][] = [
    ["Attributes", attributes],
    ["Reputation", reputation],
    ["Uptime", uptime],
    ["Mining record", miningRecord],
    ["Ratings", ratings],
    ["Endorsements", endorsements],
  ];
  return sections.flatMap(([title, draw]) => [h(heading, {}, title), draw(r)]);
}
