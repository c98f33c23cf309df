// Opening a lease: the form's input checked before anything is signed, the deposit
// computed exactly as the market does, and the CW20 `send` that carries the hook.
import type { ExecuteMsg as Cw20ExecuteMsg } from "./contracts/gut-token";
import type { ReceiveMsg, WorkloadKind } from "./contracts/market";

/** Seconds in an hour: prices are per GPU-hour, time is billed per second. */
export const SECONDS_PER_HOUR = 3600n;

/**
 * What `seconds` of one GPU cost at `pricePerHour` ugut, rounded up to the next ugut:
 * `gpunion_interface::market::lease_cost`, the formula the market charges.
 */
export function leaseCost(pricePerHour: bigint, seconds: bigint): bigint {
  const total = pricePerHour * seconds;
  return (total + SECONDS_PER_HOUR - 1n) / SECONDS_PER_HOUR;
}

export interface LeaseForm {
  provider: string;
  cid: string;
  kind: WorkloadKind;
  /** Minutes, as typed. */
  duration: string;
  /** "now", or a datetime-local value for a reservation. */
  start: string;
}

export interface LeasePlan {
  provider: string;
  cid: string;
  kind: WorkloadKind;
  durationSeconds: number;
  /** UNIX seconds; absent for now. */
  start?: number;
  deposit: bigint;
}

/** A form the app refuses to sign, with the reason in words for the field it names. */
export class FormError extends Error {
  constructor(
    readonly field: keyof LeaseForm,
    message: string,
  ) {
    super(message);
  }
}

const CID = /^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,})$/;

/**
 * Checks the form against the provider's price and the market's longest lease and
 * computes the deposit. `now` is the chain's block time in UNIX seconds.
 */
export function planLease(
  form: LeaseForm,
  pricePerHour: bigint,
  maxLeaseSeconds: number,
  now: number,
): LeasePlan {
  if (!form.provider) throw new FormError("provider", "Choose a provider.");
  if (!CID.test(form.cid.trim()))
    throw new FormError("cid", "Add a job bundle or image folder to IPFS first (no CID yet).");
  const minutesText = form.duration.trim();
  if (!/^\d+(\.\d+)?$/.test(minutesText))
    throw new FormError("duration", "Duration must be a number of minutes, e.g. 5.");
  const durationSeconds = Math.round(Number(minutesText) * 60);
  if (durationSeconds <= 0) throw new FormError("duration", "Duration must be more than 0 minutes.");
  if (durationSeconds > maxLeaseSeconds)
    throw new FormError(
      "duration",
      `Duration must be at most ${maxLeaseSeconds / 60} minutes (the market's longest lease).`,
    );
  let start: number | undefined;
  if (form.start !== "now") {
    const t = Date.parse(form.start);
    if (Number.isNaN(t)) throw new FormError("start", "Start must be a date and time, or now.");
    start = Math.floor(t / 1000);
    if (start <= now) throw new FormError("start", "A reservation must start in the future.");
    if (start > now + maxLeaseSeconds)
      throw new FormError("start", `A reservation may start at most ${maxLeaseSeconds / 60} minutes ahead.`);
  }
  return {
    provider: form.provider,
    cid: form.cid.trim(),
    kind: form.kind,
    durationSeconds,
    start,
    deposit: leaseCost(pricePerHour, BigInt(durationSeconds)),
  };
}

const toBase64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** The GUT `send` to the market that opens the lease, the deposit as the amount. */
export function openLeaseSend(market: string, plan: LeasePlan, maxPricePerHour: bigint): Cw20ExecuteMsg {
  const hook: ReceiveMsg = {
    open_lease: {
      provider: plan.provider,
      start: plan.start ?? null,
      duration_seconds: plan.durationSeconds,
      workload: { cid: plan.cid, kind: plan.kind },
      max_price_per_hour: maxPricePerHour.toString(),
    },
  };
  return { send: { contract: market, amount: plan.deposit.toString(), msg: toBase64(JSON.stringify(hook)) } };
}

/** The GUT `send` that lengthens a lease by `extraSeconds`. */
export function extendLeaseSend(
  market: string,
  leaseId: number,
  extraSeconds: number,
  pricePerHour: bigint,
): Cw20ExecuteMsg {
  const hook: ReceiveMsg = { extend_lease: { lease_id: leaseId, extra_seconds: extraSeconds } };
  return {
    send: {
      contract: market,
      amount: leaseCost(pricePerHour, BigInt(extraSeconds)).toString(),
      msg: toBase64(JSON.stringify(hook)),
    },
  };
}
