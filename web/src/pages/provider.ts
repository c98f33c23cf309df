// One provider: what it declares, its reputation and ratings, the attestations of
// endorsers, its uptime, and its mining record beside the hashrate it claims.
import { statusBadge } from "../providers";
import { errorBox, h, loading, type Ctx, type Page } from "../ui";
import { readProviderRecord, recordSections } from "./provider-record";

export function providerPage(ctx: Ctx, address: string): Page {
  const body = h("div", {}, loading());
  const el = h("section", { "aria-labelledby": "provider-title" }, h("h2", { id: "provider-title" }, "Provider"), body);

  async function refresh() {
    try {
      const r = await readProviderRecord(ctx, address);
      if (!r) {
        body.replaceChildren(h("p", {}, `No provider ${address} on this market.`));
        return;
      }
      const a = r.p.provider.attributes;
      const badge = statusBadge(r.p.status);
      body.replaceChildren(
        h("h3", {}, `${a.gpu_model} × ${a.gpu_count} `, h("span", { class: badge.cls }, badge.text)),
        h("p", { class: "mono" }, address),
        h("p", {}, h("a", { class: "button", href: `#/lease/new?provider=${address}` }, "Rent this GPU")),
        ...recordSections(r, "h3"),
      );
    } catch (e) {
      body.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
