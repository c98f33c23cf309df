// Mining: the current challenge and difficulty, emission so far against the cap, the top
// miners, and a chart of solutions over blocks (from the chain's transaction index).
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

function chart(points: [number, number][]): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const W = 600, H = 220, P = 36;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("class", "chart");
  const title = document.createElementNS(ns, "title");
  const last = points[points.length - 1];
  title.textContent = points.length
    ? `Solutions over blocks: ${last[1]} solutions by block ${last[0]}`
    : "No solutions yet";
  svg.append(title);
  const text = (tx: number, ty: number, s: string, anchor = "start") => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", String(tx));
    t.setAttribute("y", String(ty));
    t.setAttribute("text-anchor", anchor);
    t.textContent = s;
    return t;
  };
  if (points.length === 0) {
    svg.setAttribute("viewBox", `0 0 ${W} 40`);
    svg.append(text(P, 25, "No solutions yet."));
    return svg;
  }
  const x0 = points[0][0], x1 = Math.max(last[0], x0 + 1), y1 = Math.max(last[1], 1);
  const x = (v: number) => P + ((v - x0) / (x1 - x0)) * (W - 2 * P);
  const y = (v: number) => H - P - (v / y1) * (H - 2 * P);
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", points.map(([a, b], i) => `${i ? "L" : "M"}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" "));
  path.setAttribute("class", "line");
  const axis = document.createElementNS(ns, "path");
  axis.setAttribute("d", `M${P},${P / 2} V${H - P} H${W - P}`);
  axis.setAttribute("class", "axis");
  svg.append(axis, path, text(P, H - P / 3, `block ${x0}`), text(W - P, H - P / 3, `block ${x1}`, "end"), text(P + 4, P / 2 + 10, `${y1} solutions`));
  return svg;
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
        chart(cumulative(search.map((t) => t.height))),
      );
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
