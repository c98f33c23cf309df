import { describe, expect, it } from "vitest";
import type { ProviderResponse } from "../src/contracts/market";
import { parseTxEvent } from "../src/events";
import { folders, pickedFolder, rootCid } from "../src/ipfs";
import { cumulative, difficulty } from "../src/pages/mining";
import { claimMessage, parseProofFile } from "../src/pages/swap";
import { applyFilters, noFilters, rank, type ProviderRow } from "../src/providers";

const provider = (address: string, model: string, mib: number, country: string, price: string, status: ProviderResponse["status"]): ProviderRow => ({
  p: {
    status,
    reliability_permille: 500,
    provider: {
      address,
      attributes: {
        gpu_model: model,
        gpu_count: 1,
        memory_mib: mib,
        region: { country, geohash: "u33d" },
        price_per_hour: price,
        compute: { backend: "vulkan", features: [], max_buffer_size: 1, max_compute_invocations_per_workgroup: 1, max_compute_workgroup_storage_size: 1, max_storage_buffer_binding_size: 1 },
        x16s_hashrate: "1",
        peer_id: "p",
        multiaddrs: [],
      },
    } as unknown as ProviderResponse["provider"],
  },
});

describe("providers", () => {
  const rows = [
    provider("a", "NVIDIA RTX 4090", 24576, "DE", "2000000", "idle"),
    provider("b", "AMD MI300", 196608, "US", "9000000", "sharing"),
    provider("c", "NVIDIA RTX 3060", 12288, "DE", "500000", "disconnect"),
  ];
  const ids = (r: ProviderRow[]) => r.map((x) => x.p.provider.address);
  it("filters by model, memory, region, price and status", () => {
    expect(ids(applyFilters(rows, { ...noFilters, gpuModel: "rtx" }))).toEqual(["a", "c"]);
    expect(ids(applyFilters(rows, { ...noFilters, minMemoryGib: "20" }))).toEqual(["a", "b"]);
    expect(ids(applyFilters(rows, { ...noFilters, country: "de" }))).toEqual(["a", "c"]);
    expect(ids(applyFilters(rows, { ...noFilters, maxPriceGut: "2" }))).toEqual(["a", "c"]);
    expect(ids(applyFilters(rows, { ...noFilters, status: "sharing" }))).toEqual(["b"]);
    expect(ids(applyFilters(rows, { ...noFilters, minMemoryGib: "abc" }))).toEqual([]);
  });
  it("ranks recommended providers first, in score order, then by reputation and price", () => {
    const rec = (score: string) => ({ provider: "", price_per_hour: "0", distance_km: 0, reputation: "0", proximity: "0", price_score: "0", score });
    const ranked = rank([
      { ...rows[0] },
      { ...rows[1], recommendation: rec("0.4") },
      { ...rows[2], recommendation: rec("0.7") },
    ]);
    expect(ids(ranked)).toEqual(["c", "b", "a"]);
    expect(ids(rank([rows[1], rows[0], rows[2]]))).toEqual(["c", "a", "b"]);
  });
});

describe("IPFS uploads", () => {
  it("keeps paths below the picked folder and lists its folders parents first", () => {
    const f = (p: string) => Object.assign(new Blob(["x"]), { name: p.split("/").pop(), webkitRelativePath: p }) as unknown as File;
    const picked = pickedFolder([f("mandelbrot/job.json"), f("mandelbrot/input/a/b.png"), f("mandelbrot/input/c.txt")]);
    expect(picked.map((p) => p.path)).toEqual(["job.json", "input/a/b.png", "input/c.txt"]);
    expect(folders(picked)).toEqual(["input", "input/a"]);
  });
  it("takes the root's CID from add's answer", () => {
    const ndjson = '{"Name":"bundle/job.json","Hash":"bafk1","Size":"1"}\n{"Name":"bundle","Hash":"bafyroot","Size":"2"}\n';
    expect(rootCid(ndjson)).toBe("bafyroot");
    expect(() => rootCid('{"Message":"file too big"}')).toThrow(/too big/);
    expect(() => rootCid('{"Name":"x","Hash":"y"}')).toThrow(/folder/);
  });
});

describe("chain events", () => {
  it("reads contracts and actions from a subscribed Tx event", () => {
    const msg = JSON.stringify({
      result: {
        data: { type: "tendermint/event/Tx", value: { TxResult: { height: "42" } } },
        events: { "wasm._contract_address": ["wasm1market"], "wasm.action": ["open_lease"] },
      },
    });
    expect(parseTxEvent(msg)).toEqual({ height: 42, contracts: ["wasm1market"], actions: ["open_lease"] });
    expect(parseTxEvent('{"result":{}}')).toBeUndefined();
    expect(parseTxEvent("not json")).toBeUndefined();
  });
});

describe("mining", () => {
  it("computes difficulty against the pow limit and cumulative solutions", () => {
    expect(difficulty(0x207fffff, 0x207fffff)).toBe(1);
    expect(difficulty(0x1f7fffff, 0x207fffff)).toBe(256);
    expect(difficulty(0x2003ffff, 0x2003ffff)).toBe(1);
    expect(cumulative([30, 10, 20])).toEqual([[10, 1], [20, 2], [30, 3]]);
  });
});

describe("token swap", () => {
  it("reads a snapshot proof file and refuses a bad one", () => {
    const ok = { old_address: "PAbc", amount: "5", proof: ["ab".repeat(32)] };
    expect(parseProofFile(JSON.stringify(ok))).toEqual(ok);
    expect(() => parseProofFile("{")).toThrow(/not JSON/);
    expect(() => parseProofFile(JSON.stringify({ ...ok, proof: ["ab"] }))).toThrow(/32 bytes/);
    expect(() => parseProofFile(JSON.stringify({ ...ok, amount: "x" }))).toThrow(/needs/);
  });
  it("writes the claim message as the contract checks it", () => {
    expect(claimMessage("c", "s", "r")).toBe("GPUnion swap claim\nchain: c\nswap: s\nrecipient: r");
  });
});
