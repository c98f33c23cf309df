// Charts as plain SVG (no chart library): a cumulative line over block heights (mining
// solutions, a provider's earnings, GUT mined) and a provider's leases on a time axis.
// Each is an image with a title saying what it shows in words.
import { dateTime } from "./format";
import type { Timeline } from "./provider-history";

const NS = "http://www.w3.org/2000/svg";
const W = 600;
const P = 36;

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function frame(height: number, title: string): SVGSVGElement {
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${height}`, role: "img", class: "chart" });
  svg.append(svgEl("title", {}, title));
  return svg;
}

const text = (x: number, y: number, s: string, anchor = "start") => svgEl("text", { x, y, "text-anchor": anchor }, s);

/** What a line chart says in words, from its last point: the whole chart in one sentence
 * (the image's title) and the label of its top value, e.g. "12 solutions". */
export type ChartWords = (last: [number, number]) => { summary: string; top: string };

/**
 * A rising line through `points` ([block height, value], sorted by height); `empty` is
 * shown instead when there are none.
 */
export function lineChart(points: [number, number][], empty: string, words: ChartWords): SVGSVGElement {
  if (points.length === 0) {
    const svg = frame(40, empty);
    svg.append(text(P, 25, empty));
    return svg;
  }
  const H = 220;
  const last = points[points.length - 1];
  const { summary, top } = words(last);
  const svg = frame(H, summary);
  const x0 = points[0][0], x1 = Math.max(last[0], x0 + 1);
  const y1 = Math.max(...points.map((p) => p[1]), 1);
  const x = (v: number) => P + ((v - x0) / (x1 - x0)) * (W - 2 * P);
  const y = (v: number) => H - P - (v / y1) * (H - 2 * P);
  svg.append(
    svgEl("path", { d: `M${P},${P / 2} V${H - P} H${W - P}`, class: "axis" }),
    svgEl("path", { d: points.map(([a, b], i) => `${i ? "L" : "M"}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" "), class: "line" }),
    text(P, H - P / 3, `block ${x0}`),
    text(W - P, H - P / 3, `block ${x1}`, "end"),
    text(P + 4, P / 2 + 10, top),
  );
  return svg;
}

/** Leases as bars on a time axis, one row each, coloured by state; each bar's title says it in words. */
export function timelineChart(t: Timeline, summary: string): SVGSVGElement {
  const bars = t.bars;
  const ROW = 22;
  const H = P + bars.length * ROW + 8;
  const svg = frame(H, summary);
  svg.classList.add("timeline");
  const LEFT = 90;
  const span = W - LEFT - 8;
  bars.forEach((b, i) => {
    const top = 8 + i * ROW;
    const g = svgEl("g", { class: `bar bar-${b.state}` });
    g.append(
      svgEl("title", {}, b.label),
      text(4, top + 14, `lease ${b.id}`),
      svgEl("rect", { x: (LEFT + b.x0 * span).toFixed(1), y: top + 2, width: Math.max(2, (b.x1 - b.x0) * span).toFixed(1), height: ROW - 6, rx: 3 }),
    );
    svg.append(g);
  });
  const base = H - P + 8;
  svg.append(
    svgEl("path", { d: `M${LEFT},${base} H${W - 8}`, class: "axis" }),
    text(LEFT, base + 16, dateTime(t.from)),
    text(W - 8, base + 16, dateTime(t.until), "end"),
  );
  return svg;
}
