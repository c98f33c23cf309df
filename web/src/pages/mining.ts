// Mining: the current challenge and difficulty, emission so far against the cap, the top
// miners, and a chart of solutions over blocks (from the chain's transaction index).
import { lineChart } from "../chart";
import type { ChallengeResponse, Config, EmissionResponse, MinersResponse } from "../contracts/mining";
import { gut, shortAddress } from "../format";
import { errorBox, h, loading, type Ctx, type Page } from "../ui";

/** Difficulty: how many times harder than the easiest target (the contract's pow limit). */
export function difficulty(bits: number, powLimitBits: number): number {
  const target = (b: number) => (b & 0x007fffff) * 2 ** (8 * ((b >>> 24) - 3));
  return target(powLimitBits) / target(bits);
}

/** Cumulative solution counts at each block height, for the chart. */
export function cumulative(heights: number[]): [number, number][] {
  const sorted = [...heights].sort((a, b) => a - b);
  return sorted.map((height, i) => [height, i + 1]);
}

export function miningPage(ctx: Ctx): Page {
  const body = h("div", {}, loading());
  const el = h("section", { "aria-labelledby": "mining-title" }, h("h2", { id: "mining-title" }, "Mining"), body);
  async function refresh() {
    const mining = ctx.config.contracts.mining;
    if (!mining) {
      body.replaceChildren(h("p", {}, "No mining contract is deployed on this chain."));
      return;
    }
    try {
      const [config, challenge, emission, miners, search] = await Promise.all([
        ctx.chain.mining<Config>({ config: {} }),
        ctx.chain.mining<ChallengeResponse>({ challenge: {} }),
        ctx.chain.mining<EmissionResponse>({ emission: {} }),
        ctx.chain.mining<MinersResponse>({ miners: { limit: 100 } }),
        ctx.chain.client.searchTx(`wasm._contract_address='${mining}' AND wasm.action='submit'`).catch(() => []),
      ]);
      const top = [...miners.miners].sort((a, b) => b.stats.solutions - a.stats.solutions).slice(0, 10);
      const minted = BigInt(emission.minted), cap = BigInt(emission.cap);
      const share = cap > 0n ? Number((minted * 10000n) / cap) / 100 : 0;
      body.replaceChildren(
        h("h3", {}, "Current challenge"),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Solutions so far"), h("dd", {}, String(challenge.height)),
          h("dt", {}, "Target bits"), h("dd", { class: "mono" }, `0x${challenge.bits.toString(16).padStart(8, "0")}`),
          h("dt", {}, "Difficulty"), h("dd", {}, difficulty(challenge.bits, config.pow_limit_bits).toPrecision(4)),
          h("dt", {}, "Reward"), h("dd", {}, gut(challenge.reward)),
          h("dt", {}, "Previous hash"), h("dd", { class: "mono wrap" }, challenge.prev_hash),
        ),
        h("h3", {}, "Emission"),
        h("p", {}, `${gut(emission.minted)} of ${gut(emission.cap)} (${share} %); reward now ${gut(emission.current_reward)}, halving at solution ${emission.next_halving_height}.`),
        h("progress", { max: 10000, value: Number((minted * 10000n) / (cap || 1n)), "aria-label": "Emission against the cap" }),
        h("h3", {}, "Top miners"),
        top.length
          ? h(
              "table",
              {},
              h("caption", {}, "By solutions"),
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Miner"), h("th", { scope: "col" }, "Solutions"), h("th", { scope: "col" }, "Minted"))),
              h("tbody", {}, ...top.map((m) => h("tr", {}, h("td", { class: "mono" }, shortAddress(m.address)), h("td", {}, m.stats.solutions), h("td", {}, gut(m.stats.minted))))),
            )
          : h("p", {}, "Nobody has mined yet."),
        h("h3", {}, "Solutions over blocks"),
        lineChart(cumulative(search.map((t) => t.height)), "No solutions yet.", ([block, n]) => ({
          summary: `Solutions over blocks: ${n} solutions by block ${block}`,
          top: `${n} solutions`,
        })),
      );
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
