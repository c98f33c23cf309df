// The provider node's local API (`gpu-node serve`, on its metrics address, loopback
// only): its status, a job's log, and the owner's actions, which need the dashboard
// token (`[dashboard] token` in the node home's config.toml, printed by `gpu-node init`).
// The node answers CORS for its configured web_url only. What it says is checked here
// before a page reads it, and every failure becomes a NodeApiError with its words.

/** Where `gpu-node serve` listens unless its config says otherwise (`metrics_listen`). */
export const DEFAULT_NODE_API = "http://127.0.0.1:9464";

export type NodeState = "serving" | "mining" | "idle" | "paused";
export type MinerState = "disabled" | "mining" | "paused";
/**
 * How a job ended: as `gpu-node serve` writes it (board.rs `JobOutcome`): "stopped" when
 * its lease ended while it ran, "retrying" when the node's side failed and it runs again.
 */
export type JobOutcome = "succeeded" | "failed" | "cancelled" | "stopped" | "retrying";
const OUTCOMES: readonly JobOutcome[] = ["succeeded", "failed", "cancelled", "stopped", "retrying"];

export interface NodeJob {
  leaseId: number;
  /** A lease's own job, or a check of another provider's result. */
  kind: "job" | "check";
  workloadCid: string;
  startedAt: number;
  finishedAt: number | null;
  outcome: JobOutcome | null;
  failure: string | null;
  resultCid: string | null;
}

export interface NodeStatus {
  provider: string;
  peerId: string | null;
  startedAt: number;
  state: NodeState;
  miner: MinerState;
  miningPausedByOwner: boolean;
  gpu: { adapter: string; backend: string; memoryMib: number };
  /** Counters since the node started. */
  mining: { hashrate: number; hashes: bigint; solutions: number; minedUgut: bigint };
  /** Paid to the provider by its leases since the node started (whoever signed), and earned by its Active leases and not yet withdrawn. */
  earnings: { withdrawnUgut: bigint; pendingUgut: bigint };
  heartbeat: { count: number; lastAt: number | null; lagS: number | null };
  /** Running jobs, and the last finished ones, newest first. */
  jobs: { running: NodeJob[]; recent: NodeJob[] };
  /** The last warnings, newest first. */
  errors: { at: number; message: string }[];
}

export type NodeProblem =
  | "unreachable"
  | "unauthorized"
  | "forbidden"
  | "invalid"
  | "chain"
  | "not-found"
  | "malformed"
  | "other";

/** A failure talking to the node; `kind` says which, `message` says it in words. */
export class NodeApiError extends Error {
  constructor(
    readonly kind: NodeProblem,
    message: string,
  ) {
    super(message);
  }
}

// --- reading the node's answers --------------------------------------------------------

type Json = Record<string, unknown>;

class Reader {
  constructor(
    private readonly v: Json,
    private readonly path: string,
  ) {}

  static of(v: unknown, path: string): Reader {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw malformed(path, "an object");
    return new Reader(v as Json, path);
  }

  private at(key: string) {
    return { value: this.v[key], path: `${this.path}.${key}` };
  }

  obj(key: string): Reader {
    const { value, path } = this.at(key);
    return Reader.of(value, path);
  }

  num(key: string): number {
    const { value, path } = this.at(key);
    if (typeof value !== "number" || !Number.isFinite(value)) throw malformed(path, "a number");
    return value;
  }

  numOrNull(key: string): number | null {
    return this.v[key] === null ? null : this.num(key);
  }

  str(key: string): string {
    const { value, path } = this.at(key);
    if (typeof value !== "string") throw malformed(path, "a string");
    return value;
  }

  strOrNull(key: string): string | null {
    return this.v[key] === null || this.v[key] === undefined ? null : this.str(key);
  }

  bool(key: string): boolean {
    const { value, path } = this.at(key);
    if (typeof value !== "boolean") throw malformed(path, "true or false");
    return value;
  }

  /** A decimal string of an integer, e.g. ugut. */
  amount(key: string): bigint {
    const { path } = this.at(key);
    const s = this.str(key);
    if (!/^\d+$/.test(s)) throw malformed(path, "a decimal string");
    return BigInt(s);
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const s = this.str(key);
    if (!values.includes(s as T)) throw malformed(`${this.path}.${key}`, values.join(" | "));
    return s as T;
  }

  oneOfOrNull<T extends string>(key: string, values: readonly T[]): T | null {
    return this.v[key] === null ? null : this.oneOf(key, values);
  }

  /** A list of whole numbers, e.g. lease ids. */
  ids(key: string): number[] {
    const { value, path } = this.at(key);
    if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v) && v >= 0)) throw malformed(path, "a list of ids");
    return value as number[];
  }

  list<T>(key: string, each: (r: Reader) => T): T[] {
    const { value, path } = this.at(key);
    if (!Array.isArray(value)) throw malformed(path, "a list");
    return value.map((item, i) => each(Reader.of(item, `${path}[${i}]`)));
  }
}

const malformed = (path: string, want: string) =>
  new NodeApiError("malformed", `The node's answer is not what this page reads: ${path} should be ${want}. Is the node older or newer than this app?`);

function job(r: Reader): NodeJob {
  return {
    leaseId: r.num("lease_id"),
    kind: r.oneOf("kind", ["job", "check"] as const),
    workloadCid: r.str("workload_cid"),
    startedAt: r.num("started_at"),
    finishedAt: r.numOrNull("finished_at"),
    outcome: r.oneOfOrNull("outcome", OUTCOMES),
    failure: r.strOrNull("failure"),
    resultCid: r.strOrNull("result_cid"),
  };
}

/** `GET /api/status`'s JSON, checked; a NodeApiError ("malformed") names the first field that is not as expected. */
export function parseStatus(json: unknown): NodeStatus {
  const r = Reader.of(json, "status");
  const gpu = r.obj("gpu");
  const mining = r.obj("mining");
  const earnings = r.obj("earnings");
  const heartbeat = r.obj("heartbeat");
  const jobs = r.obj("jobs");
  return {
    provider: r.str("provider"),
    peerId: r.strOrNull("peer_id"),
    startedAt: r.num("started_at"),
    state: r.oneOf("state", ["serving", "mining", "idle", "paused"] as const),
    miner: r.oneOf("miner", ["disabled", "mining", "paused"] as const),
    miningPausedByOwner: r.bool("mining_paused_by_owner"),
    gpu: { adapter: gpu.str("adapter"), backend: gpu.str("backend"), memoryMib: gpu.num("memory_mib") },
    mining: {
      hashrate: mining.num("hashrate"),
      hashes: mining.amount("hashes"),
      solutions: mining.num("solutions"),
      minedUgut: mining.amount("mined_ugut"),
    },
    earnings: { withdrawnUgut: earnings.amount("withdrawn_ugut"), pendingUgut: earnings.amount("pending_ugut") },
    heartbeat: { count: heartbeat.num("count"), lastAt: heartbeat.numOrNull("last_at"), lagS: heartbeat.numOrNull("lag_s") },
    jobs: { running: jobs.list("running", job), recent: jobs.list("recent", job) },
    errors: r.list("errors", (e) => ({ at: e.num("at"), message: e.str("message") })),
  };
}

export interface MiningReply {
  miner: MinerState;
  state: NodeState;
}

export interface PriceReply {
  tx: string;
  pricePerHour: bigint;
}

export interface WithdrawReply {
  withdrawnUgut: bigint;
  leases: number[];
}

const miningReply = (json: unknown): MiningReply => {
  const r = Reader.of(json, "answer");
  return { miner: r.oneOf("miner", ["disabled", "mining", "paused"] as const), state: r.oneOf("state", ["serving", "mining", "idle", "paused"] as const) };
};

// --- errors in words ---------------------------------------------------------------------

const TOKEN_WHERE = "printed by gpu-node init (also in the node home's config.toml under [dashboard] token)";

/** The node's own words from an error body `{"error": "…"}`, if it has any. */
function nodeWords(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof e === "string" && e.trim()) return e.trim();
  } catch {
    // Not JSON: the body itself, if short.
  }
  return body.trim().slice(0, 200);
}

/**
 * The error for an answer with HTTP status `status` and body `body`; `tokenSent` says
 * whether the request carried a token (a 401 then means a wrong one, else a missing one).
 */
export function nodeError(status: number, body: string, tokenSent: boolean): NodeApiError {
  const words = nodeWords(body);
  switch (status) {
    case 401:
      // The node's words say the same; these also say where the token is.
      return new NodeApiError(
        "unauthorized",
        tokenSent
          ? `The node refused the token: it is not this node's dashboard token. The right one is ${TOKEN_WHERE}.`
          : `The node refused: this needs the dashboard token, and none is set. Paste the token ${TOKEN_WHERE}.`,
      );
    case 403:
      // A page of another origin never reads the answer (no CORS header): this is the
      // node refusing for another reason, e.g. no token configured.
      return new NodeApiError("forbidden", `The node refuses this: ${words || "forbidden"}.`);
    case 400:
      return new NodeApiError("invalid", `The node refused the request: ${words || "bad request"}.`);
    case 502:
      return new NodeApiError("chain", `The chain refused the node's transaction: ${words || "no reason given"}.`);
    case 404:
      return new NodeApiError("not-found", words ? `The node: ${words}.` : "The node has no such thing.");
    default:
      return new NodeApiError("other", `The node answered ${status}${words ? ` (the node says: ${words})` : ""}.`);
  }
}

/** What the page says when a request never got an answer. */
export const unreachable = (base: string, origin: string) =>
  new NodeApiError(
    "unreachable",
    `The node does not answer at ${base}. Is gpu-node serve running there, and is its [dashboard] web_url this page's origin (${origin})?`,
  );

// --- the API URL and the token ---------------------------------------------------------------

/**
 * The API's base URL from what the owner typed or the dashboard link carried
 * ("127.0.0.1:9464", "http://127.0.0.1:9464/"): http(s), no trailing slash. Throws with
 * the reason in words.
 */
export function apiBase(raw: string): string {
  const t = raw.trim();
  if (!t) throw new Error("Enter the node's API address, e.g. http://127.0.0.1:9464.");
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`);
  } catch {
    throw new Error(`"${t}" is not an address, e.g. http://127.0.0.1:9464.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`The node's API is http or https, not ${url.protocol}`);
  if (url.search || url.hash || url.username) throw new Error("The node's API address is scheme, host and port only.");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Why `token` cannot be the node's dashboard token (64 hexadecimal characters), or "" when it can; an empty one is no token. */
export function tokenProblem(token: string): string {
  const t = token.trim();
  if (t === "" || /^[0-9a-fA-F]{64}$/.test(t)) return "";
  return `A dashboard token is 64 hexadecimal characters (0-9, a-f); this has ${t.length} characters${/^[0-9a-fA-F]*$/.test(t) ? "" : ", not all of them hexadecimal"}.`;
}

/** The part of the browser's storage the settings use (localStorage, sessionStorage). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const API_KEY = "gpunion.node.api";
const TOKEN_KEY = "gpunion.node.token";
const PROVIDER_KEY = "gpunion.node.provider";

/**
 * Which node the dashboard talks to, remembered in this browser (`local`), and its token,
 * kept for this tab only (`session`): the token is never written into a URL.
 */
export class NodeSettings {
  constructor(
    private readonly local: KeyValueStore,
    private readonly session: KeyValueStore,
  ) {}

  get api(): string {
    return this.local.getItem(API_KEY) ?? DEFAULT_NODE_API;
  }

  /** Remembers `raw` (checked by `apiBase`) as the node's API; returns the base. */
  setApi(raw: string): string {
    const base = apiBase(raw);
    this.local.setItem(API_KEY, base);
    return base;
  }

  get token(): string {
    return this.session.getItem(TOKEN_KEY) ?? "";
  }

  /** Keeps `token` for this tab (refused with the reason in words when malformed; "" forgets it). */
  setToken(token: string): void {
    const problem = tokenProblem(token);
    if (problem) throw new Error(problem);
    const t = token.trim().toLowerCase();
    if (t) this.session.setItem(TOKEN_KEY, t);
    else this.session.removeItem(TOKEN_KEY);
  }

  /** The provider address the node at `api` last named, so the chain's view shows while it is down. */
  provider(api: string): string | undefined {
    return this.local.getItem(`${PROVIDER_KEY}:${api}`) ?? undefined;
  }

  rememberProvider(api: string, address: string): void {
    this.local.setItem(`${PROVIDER_KEY}:${api}`, address);
  }
}

// --- the client ------------------------------------------------------------------------------

/** Status and logs within this; actions may wait for the chain to include a transaction. */
const READ_TIMEOUT_MS = 5_000;
const ACTION_TIMEOUT_MS = 90_000;

export class NodeApi {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  private async request(method: "GET" | "POST", path: string, body?: object): Promise<string> {
    const headers: Record<string, string> = {};
    if (method === "POST" && this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(method === "GET" ? READ_TIMEOUT_MS : ACTION_TIMEOUT_MS),
        cache: "no-store",
      });
    } catch {
      // A refused connection, a timeout, or a CORS refusal: the browser tells them apart
      // to nobody, so the words cover each.
      throw unreachable(this.base, location.origin);
    }
    const text = await res.text();
    if (!res.ok) throw nodeError(res.status, text, method === "POST" && !!this.token);
    return text;
  }

  private async json(method: "GET" | "POST", path: string, body?: object): Promise<unknown> {
    const text = await this.request(method, path, body);
    try {
      return JSON.parse(text);
    } catch {
      throw new NodeApiError("malformed", `The node's answer to ${path} is not JSON.`);
    }
  }

  status = async () => parseStatus(await this.json("GET", "/api/status"));

  jobLog = (leaseId: number) => this.request("GET", `/api/jobs/${leaseId}/log`);

  pauseMining = async () => miningReply(await this.json("POST", "/api/mining/pause"));

  resumeMining = async () => miningReply(await this.json("POST", "/api/mining/resume"));

  /** The node signs `UpdateProvider` with the new price (ugut per GPU-hour) with its own key. */
  async setPrice(ugutPerHour: bigint): Promise<PriceReply> {
    const r = Reader.of(await this.json("POST", "/api/price", { price_per_hour: ugutPerHour.toString() }), "answer");
    return { tx: r.str("tx"), pricePerHour: r.amount("price_per_hour") };
  }

  /** The node withdraws from every Active lease now, with its own key. */
  async withdraw(): Promise<WithdrawReply> {
    const r = Reader.of(await this.json("POST", "/api/withdraw"), "answer");
    return { withdrawnUgut: r.amount("withdrawn_ugut"), leases: r.ids("leases") };
  }
}
