// Amounts are integers of the minimal unit (ugut, ustake) as decimal strings: bigint
// arithmetic, never floats.
import { GUT_DECIMALS } from "./config";
import type { HashrateProof } from "./contracts/market";

/** "1234567" ugut → "1.234567"; trailing zeros trimmed, thousands separated. */
export function formatUnits(amount: string | bigint, decimals = GUT_DECIMALS): string {
  const v = BigInt(amount);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export const gut = (ugut: string | bigint) => `${formatUnits(ugut)} GUT`;

/** "1.5" GUT → 1500000n ugut; throws on anything else than a plain decimal. */
export function parseUnits(text: string, decimals = GUT_DECIMALS): bigint {
  const t = text.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a number`);
  const frac = m[2] ?? "";
  if (frac.length > decimals) throw new Error(`at most ${decimals} decimals`);
  return BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

export function shortAddress(a: string): string {
  return a.length > 20 ? `${a.slice(0, 10)}…${a.slice(-6)}` : a;
}

/** Seconds → "1 h 5 min", "45 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : "", !h && s ? `${s} s` : ""].filter(Boolean).join(" ");
}

export const dateTime = (unix: number) => new Date(unix * 1000).toLocaleString();

/** A Decimal string in [0, 1] → "73.4 %". */
export const percent = (d: string) => `${(Number(d) * 100).toFixed(1)} %`;

/** Hashes per second, thousands separated: "4820" → "4,820 H/s". */
export const hashrate = (hps: string) => `${BigInt(hps).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")} H/s`;

/**
 * A provider's proven X16S hashrate next to its claim, as the market reports it:
 * "482 H/s of 4,820 H/s claimed (10.0 %)"; "not proven" while the market knows no
 * mining contract.
 */
export function provenHashrate(proof: HashrateProof | null | undefined): string {
  if (!proof) return "not proven";
  return `${hashrate(proof.proven)} of ${hashrate(proof.claimed)} claimed (${(proof.ratio_permille / 10).toFixed(1)} %)`;
}
