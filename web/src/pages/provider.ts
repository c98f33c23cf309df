// One provider: what it declares, its reputation and ratings, the attestations of
// endorsers, its uptime, and its mining record beside the hashrate it claims.
import type { Endorsement, Rating } from "../contracts/endorsement";
import type { MinerStats } from "../contracts/mining";
import { dateTime, gut, percent, provenHashrate } from "../format";
import { statusBadge } from "../providers";
import { errorBox, h, loading, type Ctx, type Page } from "../ui";

/** Hashes per second the mining record implies: its work over the time it spans. */
export function observedHashrate(s: MinerStats): number | undefined {
  const span = s.last_solution_time - s.first_solution_time;
  if (span <= 0) return undefined;
  return Number(BigInt(s.work)) / span;
}

export function providerPage(ctx: Ctx, address: string): Page {
  const body = h("div", {}, loading());
  const el = h("section", { "aria-labelledby": "provider-title" }, h("h2", { id: "provider-title" }, "Provider"), body);

  async function refresh() {
    try {
      const p = await ctx.chain.provider(address);
      if (!p) {
        body.replaceChildren(h("p", {}, `No provider ${address} on this market.`));
        return;
      }
      const a = p.provider.attributes;
      const miner = a.mining_address ?? address;
      const [rep, ratings, endorsements, mining, now] = await Promise.all([
        ctx.chain.reputation(address),
        ctx.chain.endorsement<Rating[]>({ ratings: { provider: address, limit: 20 } }),
        ctx.chain.endorsement<Endorsement[]>({ endorsements: { provider: address, limit: 30 } }),
        ctx.config.contracts.mining
          ? ctx.chain.mining<MinerStats | null>({ miner: { address: miner } }).catch(() => null)
          : Promise.resolve(null),
        ctx.chain.blockTime(),
      ]);
      const badge = statusBadge(p.status);
      const s = p.provider.stats;
      const observed = mining ? observedHashrate(mining) : undefined;
      const row = (k: string, v: string | Node) => [h("dt", {}, k), h("dd", {}, v)];
      body.replaceChildren(
        h("h3", {}, `${a.gpu_model} × ${a.gpu_count} `, h("span", { class: badge.cls }, badge.text)),
        h("p", { class: "mono" }, address),
        h("p", {}, h("a", { class: "button", href: `#/lease/new?provider=${address}` }, "Rent this GPU")),
        h("h3", {}, "Attributes"),
        h(
          "dl",
          { class: "facts" },
          row("Memory per GPU", `${a.memory_mib} MiB`),
          row("Backend", a.compute.backend),
          row("Workloads", (a.workloads ?? ["wgsl_bundle"]).map((w) => (w === "wgsl_bundle" ? "WGSL bundle" : "OCI image")).join(", ")),
          row("Region", `${a.region.country}, geohash ${a.region.geohash}`),
          row("Price", `${gut(a.price_per_hour)} per GPU-hour`),
          row("Stake", gut(p.provider.stake)),
          row("Peer id", a.peer_id),
          row("Paused", p.provider.paused ? "yes" : "no"),
        ),
        h("h3", {}, "Reputation"),
        h(
          "dl",
          { class: "facts" },
          row("Score", percent(rep.score)),
          row("Rating", `${Number(rep.rating_average).toFixed(2)} ★ (${rep.ratings} ratings) → part ${percent(rep.rating_part)}`),
          row("Reliability", `${(p.reliability_permille / 10).toFixed(1)} % → part ${percent(rep.reliability_part)}`),
          row("Endorsement", `${gut(rep.endorsing_stake)} endorsing → part ${percent(rep.endorsement_part)}`),
          row("Hardware", `${provenHashrate(rep.hashrate)} → part ${percent(rep.hardware_part ?? "0")}`),
        ),
        h("h3", {}, "Uptime"),
        h(
          "dl",
          { class: "facts" },
          row("Registered", dateTime(p.provider.registered_at)),
          row("Last heartbeat", `${dateTime(p.provider.last_heartbeat)} (${Math.max(0, now - p.provider.last_heartbeat)} s ago)`),
          row("Heartbeats", String(s.heartbeats)),
          row("Leases", `${s.completed_leases} completed, ${s.expired_leases} expired, ${s.lapsed_leases} lapsed; ${p.provider.open_leases} open`),
          row("Earned", gut(s.earned)),
          row("Slashed", gut(s.slashed)),
        ),
        h("h3", {}, "Mining record"),
        h(
          "dl",
          { class: "facts", id: "mining-record" },
          row("Claimed hashrate", `${Number(a.x16s_hashrate).toLocaleString()} H/s`),
          row("Proven hashrate", provenHashrate(p.hashrate)),
          row("Mining account", miner),
          ...(mining
            ? [
                row("Solutions", String(mining.solutions)),
                row("Minted", gut(mining.minted)),
                row("Observed hashrate", observed === undefined ? "one solution so far" : `${Math.round(observed).toLocaleString()} H/s (work over ${mining.last_solution_time - mining.first_solution_time} s)`),
              ]
            : [row("Solutions", "none yet")]),
        ),
        h("h3", {}, "Ratings"),
        ratings.length
          ? h("ul", {}, ...ratings.map((r) => h("li", {}, `Lease ${r.lease_id}: ${"★".repeat(r.score)}${"☆".repeat(5 - r.score)} (${r.score}/5), weight ${gut(r.weight)}, ${dateTime(r.rated_at)}`)))
          : h("p", {}, "No ratings yet."),
        h("h3", {}, "Endorsements"),
        endorsements.length
          ? h("ul", {}, ...endorsements.map((e) => h("li", {}, `${e.attribute}: "${e.claim}" by ${e.endorser}, ${dateTime(e.endorsed_at)}`)))
          : h("p", {}, "No endorsements yet."),
      );
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
