import { describe, expect, it } from "vitest";
import type { ReceiveMsg } from "../src/contracts/market";
import { extendLeaseSend, FormError, leaseCost, openLeaseSend, planLease, type LeaseForm } from "../src/lease";

const CID = "bafybeigk7g42v2w2bbmlob6ej2yi5membuyucjifuhgd5nbg46rx5l5ekm";
const form = (over: Partial<LeaseForm> = {}): LeaseForm => ({
  provider: "wasm1provider",
  cid: CID,
  kind: "wgsl_bundle",
  duration: "5",
  start: "now",
  ...over,
});
const NOW = 1_800_000_000;

describe("leaseCost: the market's lease_cost", () => {
  it("rounds up to the next ugut, as the Rust tests expect", () => {
    expect(leaseCost(3_600n, 1n)).toBe(1n);
    expect(leaseCost(1n, 1n)).toBe(1n);
    expect(leaseCost(7_200_001n, 1_800n)).toBe(3_600_001n);
    expect(leaseCost(3_600_000n, 600n)).toBe(600_000n);
    expect(leaseCost(3_600_000n, 0n)).toBe(0n);
  });
});

describe("planLease", () => {
  const fails = (f: LeaseForm, field: string, text: RegExp) => {
    try {
      planLease(f, 3_600_000n, 3600, NOW);
    } catch (e) {
      expect(e).toBeInstanceOf(FormError);
      expect((e as FormError).field).toBe(field);
      expect((e as FormError).message).toMatch(text);
      return;
    }
    throw new Error("accepted");
  };

  it("computes the deposit of a valid form", () => {
    const plan = planLease(form(), 3_600_000n, 3600, NOW);
    expect(plan).toMatchObject({ durationSeconds: 300, deposit: 300_000n, start: undefined });
  });
  it("refuses a duration of 0, negative, non-numeric, or over the longest lease", () => {
    fails(form({ duration: "0" }), "duration", /more than 0/);
    fails(form({ duration: "-1" }), "duration", /number of minutes/);
    fails(form({ duration: "abc" }), "duration", /number of minutes/);
    fails(form({ duration: "5 min" }), "duration", /number of minutes/);
    fails(form({ duration: "" }), "duration", /number of minutes/);
    fails(form({ duration: "61" }), "duration", /at most 60 minutes/);
  });
  it("refuses a missing provider or CID", () => {
    fails(form({ provider: "" }), "provider", /Choose a provider/);
    fails(form({ cid: "" }), "cid", /IPFS/);
    fails(form({ cid: "not a cid" }), "cid", /IPFS/);
  });
  it("takes a reservation in the future only, within the longest lease", () => {
    const at = (unix: number) => new Date(unix * 1000).toISOString();
    expect(planLease(form({ start: at(NOW + 600) }), 1n, 3600, NOW).start).toBe(NOW + 600);
    fails(form({ start: at(NOW - 60) }), "start", /future/);
    fails(form({ start: at(NOW + 7200) }), "start", /at most/);
    fails(form({ start: "invalid" }), "start", /date and time/);
  });
});

describe("the CW20 sends", () => {
  const decode = (b64: string): ReceiveMsg => JSON.parse(Buffer.from(b64, "base64").toString());
  it("opens a lease with the deposit as the amount and the hook in base64", () => {
    const plan = planLease(form({ kind: "oci_image" }), 3_600_000n, 3600, NOW);
    const msg = openLeaseSend("wasm1market", plan, 3_600_000n);
    if (!("send" in msg)) throw new Error("not a send");
    expect(msg.send.contract).toBe("wasm1market");
    expect(msg.send.amount).toBe("300000");
    expect(decode(msg.send.msg)).toEqual({
      open_lease: {
        provider: "wasm1provider",
        start: null,
        duration_seconds: 300,
        workload: { cid: CID, kind: "oci_image" },
        max_price_per_hour: "3600000",
      },
    });
  });
  it("extends by the extra time's cost", () => {
    const msg = extendLeaseSend("wasm1market", 7, 600, 3_600_000n);
    if (!("send" in msg)) throw new Error("not a send");
    expect(msg.send.amount).toBe("600000");
    expect(decode(msg.send.msg)).toEqual({ extend_lease: { lease_id: 7, extra_seconds: 600 } });
  });
});
