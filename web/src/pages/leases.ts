// The connected customer's leases, live: state, result files (images inline, the rest
// as links to the Kubo gateway), and close, extend and rate.
import type { Rating } from "../contracts/endorsement";
import type { Lease } from "../contracts/market";
import { errorMessage } from "../errors";
import { dateTime, duration, gut, shortAddress } from "../format";
import { isImage, listFiles } from "../ipfs";
import { extendLeaseSend } from "../lease";
import { errorBox, field, h, loading, runTx, setFieldError, txStatus, type Ctx, type Page } from "../ui";

const OPEN = new Set(["pending", "active"]);

export function leasesPage(ctx: Ctx): Page {
  const list = h("div", { class: "list", id: "lease-list" });
  const el = h("section", { "aria-labelledby": "leases-title" }, h("h2", { id: "leases-title" }, "My leases"), list);
  /** Result listings do not change: read once per CID. */
  const results = new Map<string, Promise<HTMLElement>>();
  let lastKey = "";
  const statuses = new Map<number, HTMLElement>();

  function resultView(cid: string): Promise<HTMLElement> {
    let view = results.get(cid);
    if (!view) {
      view = listFiles(ctx.config.ipfsApi, cid)
        .then((files) =>
          h(
            "div",
            { class: "result" },
            ...files.map((f) => {
              const url = `${ctx.config.gateway}/ipfs/${cid}/${f.path}`;
              return isImage(f.name)
                ? h("figure", {}, h("img", { src: url, alt: `Result ${f.path} of the lease`, loading: "lazy" }), h("figcaption", {}, h("a", { href: url }, f.path)))
                : h("p", {}, h("a", { href: url }, f.path), ` (${f.size} bytes)`);
            }),
          ),
        )
        .catch((e) => errorBox(`Result ${cid}: ${errorMessage(e)}`));
      results.set(cid, view);
    }
    return view;
  }

  async function card(l: Lease, rating: Rating | null): Promise<HTMLElement> {
    // One status line per lease for the page's life: a transaction in flight keeps
    // writing to it across redraws.
    let status = statuses.get(l.id);
    if (!status) statuses.set(l.id, (status = txStatus(`lease-${l.id}-tx`)));
    const actions: HTMLElement[] = [];
    if (OPEN.has(l.state)) {
      actions.push(
        h("button", {
          type: "button",
          onclick: () => runTx(ctx, status, [{ contractAddress: ctx.config.contracts.market, msg: { close_lease: { lease_id: l.id } } }]),
        }, `Close lease ${l.id}`),
      );
      const extra = h("input", { type: "text", inputmode: "numeric", value: "5", size: 4 });
      const fid = `extend-${l.id}`;
      actions.push(
        h(
          "form",
          {
            class: "inline",
            onsubmit: (e: Event) => {
              e.preventDefault();
              const minutes = Number(extra.value);
              if (!/^\d+$/.test(extra.value.trim()) || minutes <= 0) {
                setFieldError(fid, "Extra time must be a whole number of minutes, more than 0.");
                return;
              }
              setFieldError(fid, "");
              void runTx(ctx, status, [
                { contractAddress: ctx.config.contracts.gut, msg: extendLeaseSend(ctx.config.contracts.market, l.id, minutes * 60, BigInt(l.price_per_hour)) },
              ]);
            },
          },
          field(fid, "Extra minutes", extra),
          h("button", { type: "submit" }, "Extend"),
        ),
      );
    } else if ((l.state === "closed" || l.state === "expired") && !rating) {
      const fid = `rate-${l.id}`;
      const score = h("select", {}, ...[5, 4, 3, 2, 1].map((s) => h("option", { value: s }, `${"★".repeat(s)} (${s})`)));
      actions.push(
        h(
          "form",
          {
            class: "inline",
            onsubmit: (e: Event) => {
              e.preventDefault();
              void runTx(ctx, status, [
                { contractAddress: ctx.config.contracts.endorsement, msg: { rate: { lease_id: l.id, score: Number(score.value) } } },
              ]);
            },
          },
          field(fid, "Your rating", score),
          h("button", { type: "submit" }, `Rate lease ${l.id}`),
        ),
      );
    }
    return h(
      "article",
      { class: "card lease", "data-lease": l.id, "data-state": l.state, "aria-label": `Lease ${l.id}` },
      h("header", {}, h("h3", {}, `Lease ${l.id}`), h("span", { class: `badge badge-lease-${l.state}` }, l.state)),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Provider"), h("dd", {}, h("a", { href: `#/provider/${l.provider}` }, shortAddress(l.provider))),
        h("dt", {}, "Window"), h("dd", {}, `${dateTime(l.start)} for ${duration(l.end - l.start)}`),
        h("dt", {}, "Workload"), h("dd", { class: "mono" }, `${l.workload.kind === "wgsl_bundle" ? "WGSL bundle" : "OCI image"} ${l.workload.cid}`),
        h("dt", {}, "Deposit"), h("dd", {}, gut(l.deposit)),
        h("dt", {}, "Paid / refunded"), h("dd", {}, `${gut(l.paid_to_provider)} / ${gut(l.refunded)}`),
        rating ? [h("dt", {}, "Your rating"), h("dd", {}, `${"★".repeat(rating.score)} (${rating.score}/5)`)] : null,
      ),
      l.result ? [h("h4", {}, "Result"), await resultView(l.result.cid)] : null,
      h("div", { class: "actions" }, ...actions),
      status,
    );
  }

  async function refresh() {
    if (!ctx.wallet) {
      list.replaceChildren(
        h("p", {}, "Connect Keplr to see your leases. "),
        h("button", { type: "button", onclick: () => ctx.connect().then(() => refresh()) }, "Connect Keplr"),
      );
      return;
    }
    if (!list.firstChild) list.append(loading());
    try {
      const leases = await ctx.chain.leasesOf(ctx.wallet.address);
      const ratings = await Promise.all(
        leases.map((l) => (OPEN.has(l.state) ? null : ctx.chain.endorsement<Rating | null>({ rating: { lease_id: l.id } }).catch(() => null))),
      );
      // Heartbeats touch the market every few seconds: redraw only what changed, so a
      // form being filled in is not lost.
      const key = JSON.stringify([leases, ratings]);
      if (key === lastKey) return;
      lastKey = key;
      const cards = await Promise.all(leases.map((l, i) => card(l, ratings[i])));
      list.replaceChildren(...(cards.length ? cards : [h("p", {}, "No leases yet. "), h("a", { href: "#/lease/new" }, "Open one")]));
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
