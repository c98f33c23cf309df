// The market's view of the node's provider, read from the chain: its status, the
// provider page's sections (reputation, proven hashrate, endorsements), its leases on a
// time axis, and its history from the transaction index (earnings and GUT mined over blocks).
import { lineChart, timelineChart } from "../../chart";
import type { Lease, LeaseResponse } from "../../contracts/market";
import { dateTime, gut } from "../../format";
import { leaseTimeline, miningRewards, payouts, runningTotal, withdrawPlan, type Credit } from "../../provider-history";
import { statusBadge } from "../../providers";
import { errorBox, h, panel, type Ctx } from "../../ui";
import { facts, readProviderRecord, recordSections, type ProviderRecord } from "../provider-record";

/** The Active ones of `leases` with what each has earned and could withdraw now. */
export async function activeLeases(ctx: Ctx, leases: Lease[]): Promise<LeaseResponse[]> {
  const active = leases.filter((l) => l.state === "active");
  return (await Promise.all(active.map((l) => ctx.chain.lease(l.id)))).filter((l): l is LeaseResponse => !!l);
}

export interface ChainView {
  /** The panels: the leases' time axis, the history's charts, the market's view. */
  leases: HTMLElement;
  history: HTMLElement;
  market: HTMLElement;
  /** Reads `address`'s record, leases and (when they changed) history, and draws them. */
  refresh(address: string): Promise<void>;
}

/** `showDue` gets what the provider could withdraw now, from how many Active leases. */
export function chainView(ctx: Ctx, showDue: (ugut: bigint, activeLeases: number) => void): ChainView {
  const chainBody = h("div", { id: "chain-view" }, h("p", {}, "The market's view appears once the node names its provider."));
  const timeline = h("div", { id: "lease-timeline" });
  const earningsChart = h("div", { id: "earnings-chart" });
  const minedChart = h("div", { id: "mined-chart" });
  /** What the charts were drawn from: the tx index is read again only when it changed. */
  let historyKey = "";
  let chainRead = 0;

  async function refresh(address: string) {
    const read = ++chainRead;
    try {
      const record = await readProviderRecord(ctx, address);
      if (read !== chainRead) return;
      if (!record) {
        chainBody.replaceChildren(h("p", {}, `The market has no provider ${address}: register the node with gpu-node register.`));
        return;
      }
      const leases = await ctx.chain.leasesOfProvider(address);
      const active = await activeLeases(ctx, leases);
      if (read !== chainRead) return;
      drawChain(record, leases, active);
      const key = `${record.p.provider.stats.earned}/${record.mining?.solutions ?? 0}`;
      if (key !== historyKey) {
        historyKey = key;
        await drawHistory(record);
      }
    } catch (e) {
      if (read === chainRead) chainBody.replaceChildren(errorBox(e));
    }
  }

  function drawChain(r: ProviderRecord, leases: Lease[], active: LeaseResponse[]) {
    const badge = statusBadge(r.p.status);
    const plan = withdrawPlan(active);
    showDue(plan.ugut, active.length);
    chainBody.replaceChildren(
      h("p", { id: "market-status" }, "Status as the market computes it: ", h("span", { class: badge.cls }, badge.text)),
      facts([
        ["Price", h("span", { id: "market-price", "data-value": r.p.provider.attributes.price_per_hour }, `${gut(r.p.provider.attributes.price_per_hour)} per GPU-hour`)],
        ["Open leases", `${r.p.provider.open_leases} (${r.p.provider.active_leases} Active)`],
        ["Withdrawable now", gut(plan.ugut)],
        ["Earned in all (gross)", h("span", { id: "market-earned", "data-value": r.p.provider.stats.earned }, gut(r.p.provider.stats.earned))],
      ]),
      ...recordSections(r, "h4"),
    );
    const t = leaseTimeline(leases, r.now);
    timeline.replaceChildren(
      ...(t
        ? [
            timelineChart(t, `The provider's ${t.bars.length} newest leases from ${dateTime(t.from)} to ${dateTime(t.until)}`),
            h(
              "ul",
              { class: "leases", "aria-label": "The provider's leases" },
              ...t.bars.map((b) => h("li", { "data-lease": b.id, "data-state": b.state }, h("span", { class: `badge badge-lease-${b.state}` }, b.state), " ", b.label)),
            ),
          ]
        : [h("p", {}, "No leases yet.")]),
    );
  }

  async function drawHistory(r: ProviderRecord) {
    const { gut: gutToken, market, mining } = ctx.config.contracts;
    const [paid, mined] = await Promise.all([
      ctx.chain.client.searchTx(`wasm.from='${market}' AND wasm.to='${r.address}'`).catch(() => []),
      mining ? ctx.chain.client.searchTx(`wasm._contract_address='${mining}' AND wasm.miner='${r.miner}'`).catch(() => []) : Promise.resolve([]),
    ]);
    const chart = (credits: Credit[], empty: string, what: string) => {
      const points = runningTotal(credits);
      return lineChart(
        points.map(([height, ugut]) => [height, Number(ugut)]),
        empty,
        ([block]) => {
          const total = points[points.length - 1][1];
          return { summary: `${what}: ${gut(total)} by block ${block}`, top: gut(total) };
        },
      );
    };
    earningsChart.replaceChildren(chart(payouts(paid, { gut: gutToken, market, provider: r.address }), "Nothing paid yet.", "Paid to the provider by the market"));
    minedChart.replaceChildren(chart(miningRewards(mined, { mining: mining ?? "", miner: r.miner }), "Nothing mined yet.", "GUT mined by the provider's mining account"));
  }

  const market = panel("market-title", "On the market", chainBody);
  market.classList.add("wide");
  return {
    leases: panel("leases-title", "Leases", timeline),
    history: panel(
      "history-title",
      "Earnings and mining over time",
      h("h4", {}, "Paid by the market"),
      earningsChart,
      h("h4", {}, "GUT mined"),
      minedChart,
    ),
    market,
    refresh,
  };
}
