// The node's local API as the dashboard reads it: the status JSON of the API's contract,
// errors in words, the API address and the token, and where they are kept.
import { describe, expect, it } from "vitest";
import { apiBase, DEFAULT_NODE_API, NodeApiError, nodeError, NodeSettings, parseStatus, tokenProblem, unreachable, type KeyValueStore } from "../src/node-api";

const JOB = {
  lease_id: 7,
  kind: "job",
  workload_cid: "bafyjob",
  started_at: 1733380000,
  finished_at: 1733380050,
  outcome: "stopped",
  failure: "time limit of 40 s reached",
  result_cid: "bafyresult",
};

const STATUS = {
  provider: "wasm1provider",
  peer_id: "12D3KooWpeer",
  started_at: 1733380000,
  state: "mining",
  miner: "mining",
  mining_paused_by_owner: false,
  gpu: { adapter: "llvmpipe (LLVM 15.0.6, 256 bits)", backend: "Vulkan", memory_mib: 2048 },
  mining: { hashrate: 1234.5, hashes: "123456789012345678901", solutions: 3, mined_ugut: "3000000" },
  earnings: { withdrawn_ugut: "1200", pending_ugut: "300" },
  heartbeat: { count: 12, last_at: 1733380100, lag_s: 3.2 },
  jobs: { running: [{ ...JOB, lease_id: 9, finished_at: null, outcome: null, failure: null, result_cid: null }], recent: [JOB] },
  errors: [{ at: 1733380100, message: "heartbeat failed: timed out" }],
};

const malformedAt = (json: unknown) => {
  try {
    parseStatus(json);
  } catch (e) {
    expect(e).toBeInstanceOf(NodeApiError);
    expect((e as NodeApiError).kind).toBe("malformed");
    return (e as Error).message;
  }
  throw new Error("parsed");
};

describe("parseStatus", () => {
  it("reads the API's status, amounts and counters as exact integers", () => {
    const s = parseStatus(STATUS);
    expect(s.provider).toBe("wasm1provider");
    expect(s.state).toBe("mining");
    expect(s.mining.hashes).toBe(123456789012345678901n);
    expect(s.mining.minedUgut).toBe(3_000_000n);
    expect(s.earnings).toEqual({ withdrawnUgut: 1200n, pendingUgut: 300n });
    expect(s.heartbeat).toEqual({ count: 12, lastAt: 1733380100, lagS: 3.2 });
    expect(s.gpu).toEqual({ adapter: "llvmpipe (LLVM 15.0.6, 256 bits)", backend: "Vulkan", memoryMib: 2048 });
    expect(s.jobs.running[0]).toEqual({
      leaseId: 9, kind: "job", workloadCid: "bafyjob", startedAt: 1733380000, finishedAt: null, outcome: null, failure: null, resultCid: null,
    });
    expect(s.jobs.recent[0]).toMatchObject({ outcome: "stopped", failure: "time limit of 40 s reached" });
    expect(s.errors).toEqual([{ at: 1733380100, message: "heartbeat failed: timed out" }]);
  });

  it("takes the nulls of a node without a libp2p host or a heartbeat yet", () => {
    const s = parseStatus({ ...STATUS, peer_id: null, heartbeat: { count: 0, last_at: null, lag_s: null } });
    expect(s.peerId).toBeNull();
    expect(s.heartbeat).toEqual({ count: 0, lastAt: null, lagS: null });
  });

  it("names the first field that is not as the contract says", () => {
    expect(malformedAt({ ...STATUS, mining: { ...STATUS.mining, hashes: 123 } })).toContain("status.mining.hashes should be a string");
    expect(malformedAt({ ...STATUS, mining: { ...STATUS.mining, hashes: "12.5" } })).toContain("status.mining.hashes should be a decimal string");
    expect(malformedAt({ ...STATUS, state: "sleeping" })).toContain("status.state should be serving | mining | idle | paused");
    expect(malformedAt({ ...STATUS, jobs: { running: [], recent: [{ ...JOB, kind: "other" }] } })).toContain("status.jobs.recent[0].kind");
    expect(malformedAt({ ...STATUS, jobs: { running: [], recent: [{ ...JOB, outcome: "exploded" }] } })).toContain("status.jobs.recent[0].outcome should be succeeded | failed | cancelled | stopped | retrying");
    expect(malformedAt({ ...STATUS, errors: undefined })).toContain("status.errors should be a list");
    expect(malformedAt([])).toContain("status should be an object");
  });
});

describe("errors in words", () => {
  const origin = "http://127.0.0.1:4173";
  it("tells a missing token from a wrong one, and says where the token is", () => {
    const missing = nodeError(401, '{"error":"no bearer token"}', false);
    expect(missing.kind).toBe("unauthorized");
    expect(missing.message).toBe(
      "The node refused: this needs the dashboard token, and none is set. Paste the token printed by gpu-node init (also in the node home's config.toml under [dashboard] token).",
    );
    const wrong = nodeError(401, '{"error":"wrong token"}', true);
    expect(wrong.message).toMatch(/^The node refused the token: it is not this node's dashboard token\. The right one is printed by gpu-node init/);
  });
  it("gives the node's reasons for a refusal, bad input, the chain's refusal and a missing log", () => {
    const off = nodeError(403, '{"error":"the node has no dashboard token, so it takes no actions"}', true);
    expect([off.kind, off.message]).toEqual(["forbidden", "The node refuses this: the node has no dashboard token, so it takes no actions."]);
    const bad = nodeError(400, '{"error":"price_per_hour: not a number"}', true);
    expect([bad.kind, bad.message]).toEqual(["invalid", "The node refused the request: price_per_hour: not a number."]);
    const chain = nodeError(502, '{"error":"provider is leaving"}', true);
    expect([chain.kind, chain.message]).toEqual(["chain", "The chain refused the node's transaction: provider is leaving."]);
    const log = nodeError(404, '{"error":"no log of lease 8 on this node (yet)"}', false);
    expect([log.kind, log.message]).toEqual(["not-found", "The node: no log of lease 8 on this node (yet)."]);
    expect(nodeError(500, "<html>oops</html>", false).message).toBe("The node answered 500 (the node says: <html>oops</html>).");
  });
  it("says the node does not answer at its address", () => {
    const e = unreachable("http://127.0.0.1:9474", origin);
    expect(e.kind).toBe("unreachable");
    expect(e.message).toMatch(/^The node does not answer at http:\/\/127\.0\.0\.1:9474\./);
  });
});

describe("the API address and the token", () => {
  it("takes the address as printed or typed, refuses anything else", () => {
    expect(apiBase("127.0.0.1:9464")).toBe("http://127.0.0.1:9464");
    expect(apiBase(" http://127.0.0.1:9474/ ")).toBe("http://127.0.0.1:9474");
    expect(apiBase("https://node.example:8443/gpu/")).toBe("https://node.example:8443/gpu");
    expect(() => apiBase("")).toThrow(/Enter the node's API address/);
    expect(() => apiBase("ftp://127.0.0.1:21")).toThrow(/http or https/);
    expect(() => apiBase("http://127.0.0.1:9464/?token=abc")).toThrow(/scheme, host and port only/);
    expect(() => apiBase("http://exa mple")).toThrow(/not an address/);
  });
  it("accepts 64 hexadecimal characters or nothing as a token", () => {
    expect(tokenProblem("ab".repeat(32))).toBe("");
    expect(tokenProblem(` ${"AB".repeat(32)}\n`)).toBe("");
    expect(tokenProblem("")).toBe("");
    expect(tokenProblem("ab".repeat(31) + "a")).toMatch(/64 hexadecimal characters .* this has 63 characters\.$/);
    expect(tokenProblem("zz".repeat(32))).toMatch(/not all of them hexadecimal/);
  });
});

/** The browser's storage, as far as the settings use it. */
class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

describe("NodeSettings", () => {
  it("remembers the API in the browser and the token in the tab only", () => {
    const local = new MemoryStore();
    const session = new MemoryStore();
    const s = new NodeSettings(local, session);
    expect(s.api).toBe(DEFAULT_NODE_API);
    expect(s.setApi("127.0.0.1:9474/")).toBe("http://127.0.0.1:9474");
    expect(new NodeSettings(local, new MemoryStore()).api).toBe("http://127.0.0.1:9474");
    const token = "AB".repeat(32);
    s.setToken(token);
    expect(s.token).toBe(token.toLowerCase());
    expect([...local.items.values()]).not.toContain(token.toLowerCase());
    expect(new NodeSettings(local, new MemoryStore()).token).toBe("");
    expect(() => s.setToken("not a token")).toThrow(/64 hexadecimal/);
    expect(s.token).toBe(token.toLowerCase());
    s.setToken("");
    expect(session.items.size).toBe(0);
  });
  it("remembers which provider each node named", () => {
    const s = new NodeSettings(new MemoryStore(), new MemoryStore());
    s.rememberProvider("http://127.0.0.1:9464", "wasm1a");
    s.rememberProvider("http://127.0.0.1:9474", "wasm1b");
    expect(s.provider("http://127.0.0.1:9464")).toBe("wasm1a");
    expect(s.provider("http://127.0.0.1:9474")).toBe("wasm1b");
    expect(s.provider("http://127.0.0.1:1")).toBeUndefined();
  });
});
