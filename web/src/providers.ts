// The providers page's model: filters applied to the market's records, and the order
// the endorsement contract recommends (providers it does not rank follow, by reputation).
import type { Reputation, Recommendation } from "./contracts/endorsement";
import type { ProviderResponse, ProviderStatus } from "./contracts/market";

export interface ProviderFilters {
  gpuModel: string;
  /** Minimum memory per GPU, GiB as typed. */
  minMemoryGib: string;
  country: string;
  /** Maximum price, GUT per hour as typed. */
  maxPriceGut: string;
  status: ProviderStatus | "";
}

export const noFilters: ProviderFilters = { gpuModel: "", minMemoryGib: "", country: "", maxPriceGut: "", status: "" };

export interface ProviderRow {
  p: ProviderResponse;
  reputation?: Reputation;
  recommendation?: Recommendation;
}

const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

export function applyFilters(rows: ProviderRow[], f: ProviderFilters): ProviderRow[] {
  const minMib = num(f.minMemoryGib);
  const maxPrice = num(f.maxPriceGut);
  const model = f.gpuModel.trim().toLowerCase();
  const country = f.country.trim().toUpperCase();
  return rows.filter(({ p }) => {
    const a = p.provider.attributes;
    if (model && !a.gpu_model.toLowerCase().includes(model)) return false;
    if (minMib !== undefined && !(a.memory_mib >= minMib * 1024)) return false;
    if (country && a.region.country.toUpperCase() !== country) return false;
    if (maxPrice !== undefined && !(Number(a.price_per_hour) <= maxPrice * 1e6)) return false;
    if (f.status && p.status !== f.status) return false;
    return true;
  });
}

/**
 * Recommended providers first, in the contract's order (best score first); the rest
 * after, by reputation score, then price.
 */
export function rank(rows: ProviderRow[]): ProviderRow[] {
  const score = (r: ProviderRow) => Number(r.reputation?.score ?? 0);
  return [...rows].sort((a, b) => {
    const ra = a.recommendation ? Number(a.recommendation.score) : -1;
    const rb = b.recommendation ? Number(b.recommendation.score) : -1;
    if (ra !== rb) return rb - ra;
    if (score(a) !== score(b)) return score(b) - score(a);
    return Number(BigInt(a.p.provider.attributes.price_per_hour) - BigInt(b.p.provider.attributes.price_per_hour));
  });
}

/** Badge text and class for a status. */
export function statusBadge(s: ProviderStatus): { text: string; cls: string } {
  const text = { idle: "Idle", sharing: "Sharing", reserved: "Reserved", disconnect: "Disconnect" }[s];
  return { text, cls: `badge badge-${s}` };
}
