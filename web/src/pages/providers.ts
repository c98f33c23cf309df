// Providers, ranked by the endorsement contract's recommendation for the customer's
// location and price cap, with filters and each provider's reputation in parts.
import type { RecommendResponse } from "../contracts/endorsement";
import { gut, percent, provenHashrate, shortAddress } from "../format";
import { applyFilters, noFilters, rank, statusBadge, type ProviderFilters, type ProviderRow } from "../providers";
import { errorBox, field, h, loading, setFieldError, type Ctx, type Page } from "../ui";

export function providersPage(ctx: Ctx): Page {
  let rows: ProviderRow[] = [];
  const filters: ProviderFilters = { ...noFilters };
  /** Where the customer is, for the recommendation's distance (kept in this browser). */
  const near = {
    country: localStorage.getItem("gpunion.near.country") ?? "DE",
    geohash: localStorage.getItem("gpunion.near.geohash") ?? "u33d",
  };
  const lead = h("p", { class: "lead" });
  const showLead = () =>
    (lead.textContent = `Ranked by the endorsement contract's recommendation for a customer near ${near.country} (${near.geohash}): reputation, distance and price.`);
  showLead();
  const nearCountry = h("input", { value: near.country, maxlength: "2", autocapitalize: "characters", autocomplete: "country" });
  const nearGeohash = h("input", { value: near.geohash, maxlength: "12", spellcheck: "false" });
  const nearForm = h(
    "form",
    {
      class: "near",
      "aria-label": "Your location",
      onsubmit: (e: Event) => {
        e.preventDefault();
        setFieldError("near-country", "");
        setFieldError("near-geohash", "");
        const country = nearCountry.value.trim().toUpperCase();
        const geohash = nearGeohash.value.trim().toLowerCase();
        if (!/^[A-Z]{2}$/.test(country)) return setFieldError("near-country", "Two letters, e.g. DE.");
        if (!/^[0-9b-hjkmnp-z]{1,12}$/.test(geohash)) return setFieldError("near-geohash", "A geohash, e.g. u33d.");
        Object.assign(near, { country, geohash });
        localStorage.setItem("gpunion.near.country", country);
        localStorage.setItem("gpunion.near.geohash", geohash);
        showLead();
        void refresh();
      },
    },
    field("near-country", "Your country", nearCountry),
    field("near-geohash", "Your geohash", nearGeohash, "Where you are, for the distance to each provider."),
    h("button", { type: "submit" }, "Rank for this place"),
  );
  const list = h("div", { class: "list", id: "provider-list" }, loading());
  const count = h("p", { class: "count", role: "status", "aria-live": "polite" });

  const input = (key: keyof ProviderFilters, attrs: Record<string, string> = {}) =>
    h("input", {
      ...attrs,
      value: filters[key],
      oninput: (e: Event) => {
        (filters as unknown as Record<string, string>)[key] = (e.target as HTMLInputElement).value;
        draw();
      },
    });
  const status = h(
    "select",
    { onchange: (e: Event) => ((filters.status = (e.target as HTMLSelectElement).value as never), draw()) },
    h("option", { value: "" }, "Any"),
    ...["idle", "sharing", "reserved", "disconnect"].map((s) => h("option", { value: s }, statusBadge(s as never).text)),
  );
  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter providers", onsubmit: (e: Event) => e.preventDefault() },
    field("f-model", "GPU model", input("gpuModel", { type: "search", placeholder: "e.g. RTX 4090" })),
    field("f-memory", "Min. memory (GiB)", input("minMemoryGib", { type: "number", min: "0", step: "1", inputmode: "numeric" })),
    field("f-country", "Region (country)", input("country", { placeholder: "e.g. DE", maxlength: "2", autocapitalize: "characters" })),
    field("f-price", "Max. price (GUT/h)", input("maxPriceGut", { type: "number", min: "0", step: "any", inputmode: "decimal" })),
    field("f-status", "Status", status),
  );

  function draw() {
    const shown = rank(applyFilters(rows, filters));
    count.textContent = `${shown.length} of ${rows.length} providers`;
    list.replaceChildren(
      ...(shown.length ? shown.map((r, i) => card(r, i + 1)) : [h("p", {}, "No provider matches these filters.")]),
    );
  }

  function card(r: ProviderRow, position: number): HTMLElement {
    const a = r.p.provider.attributes;
    const badge = statusBadge(r.p.status);
    const rep = r.reputation;
    return h(
      "article",
      { class: "card provider", "data-provider": r.p.provider.address, "aria-label": `Provider ${position}: ${a.gpu_model}` },
      h(
        "header",
        {},
        h("span", { class: "rank", title: r.recommendation ? "Recommended" : "Not ranked by the endorsement contract" }, `#${position}`),
        h("h3", {}, h("a", { href: `#/provider/${r.p.provider.address}` }, `${a.gpu_model} × ${a.gpu_count}`)),
        h("span", { class: badge.cls }, badge.text),
      ),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Memory"), h("dd", {}, `${(a.memory_mib / 1024).toFixed(1)} GiB`),
        h("dt", {}, "Region"), h("dd", {}, `${a.region.country} (${a.region.geohash})`),
        h("dt", {}, "Price"), h("dd", {}, `${gut(a.price_per_hour)}/h`),
        h("dt", {}, "Reliability"), h("dd", {}, `${(r.p.reliability_permille / 10).toFixed(1)} %`),
        h("dt", {}, "Hashrate"), h("dd", { class: "hashrate" }, provenHashrate(r.p.hashrate)),
        h("dt", {}, "Reputation"),
        h(
          "dd",
          { class: "reputation" },
          rep
            ? `${percent(rep.score)} (rating ${Number(rep.rating_average).toFixed(2)}★ from ${rep.ratings}, reliability ${percent(rep.reliability_part)}, endorsement ${percent(rep.endorsement_part)}, hardware ${percent(rep.hardware_part ?? "0")})`
            : "—",
        ),
        r.recommendation ? [h("dt", {}, "Recommendation"), h("dd", {}, `score ${percent(r.recommendation.score)}, ${r.recommendation.distance_km} km`)] : null,
        h("dt", {}, "Address"), h("dd", { class: "mono" }, shortAddress(r.p.provider.address)),
      ),
      h(
        "p",
        { class: "actions" },
        h("a", { class: "button", href: `#/lease/new?provider=${r.p.provider.address}` }, "Rent this GPU"),
        " ",
        h("a", { href: `#/provider/${r.p.provider.address}` }, "Details"),
      ),
    );
  }

  async function refresh() {
    try {
      const providers = await ctx.chain.providers();
      const maxPrice = providers.reduce((m, p) => {
        const v = BigInt(p.provider.attributes.price_per_hour);
        return v > m ? v : m;
      }, 1n);
      const [reputations, recommended] = await Promise.all([
        Promise.all(providers.map((p) => ctx.chain.reputation(p.provider.address).catch(() => undefined))),
        ctx.chain
          .endorsement<RecommendResponse>({
            recommend: { country: near.country, geohash: near.geohash, max_price_per_hour: (maxPrice * 2n).toString(), limit: 30 },
          })
          .catch(() => ({ recommendations: [], candidates_read: 0 })),
      ]);
      rows = providers.map((p, i) => ({
        p,
        reputation: reputations[i],
        recommendation: recommended.recommendations.find((r) => r.provider === p.provider.address),
      }));
      draw();
    } catch (e) {
      list.replaceChildren(errorBox(e));
    }
  }

  const el = h(
    "section",
    { "aria-labelledby": "providers-title" },
    h("h2", { id: "providers-title" }, "Providers"),
    lead,
    nearForm,
    form,
    count,
    list,
  );
  return { el, refresh };
}
