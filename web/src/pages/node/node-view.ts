// The node's own view, drawn from each answer of its API: the state line and the problem
// under it, the node's facts (GPU, mining counters, earnings, heartbeats), its running and
// recent jobs with their logs (read when a job is expanded), and its last warnings.
import { dateTime, duration, formatUnits, gut } from "../../format";
import { NodeApiError, type JobOutcome, type NodeApi, type NodeJob, type NodeState, type NodeStatus } from "../../node-api";
import { h, loading, panel } from "../../ui";
import { facts } from "../provider-record";
import { errorMessage } from "../../errors";

/** The node's state in words. */
const NODE_STATE_WORDS: Record<NodeState, string> = {
  serving: "Serving: a lease's job or a check is running.",
  mining: "Mining: no job runs, the GPU mines GUT.",
  idle: "Idle: no job runs, and mining is off in the node's config.",
  paused: "Paused: you paused mining; leases are still served.",
};

const OUTCOME_WORDS: Record<JobOutcome, string> = {
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled by its customer",
  stopped: "stopped (its lease ended)",
  retrying: "to run again (the node's side failed)",
};

export interface NodeView {
  /** The state line and the problem under it, above the panels. */
  state: HTMLElement[];
  /** The panels: the node's facts, its jobs, its last warnings. */
  facts: HTMLElement;
  jobs: HTMLElement;
  warnings: HTMLElement;
  /** Shows the node's answer (and clears the problem). */
  draw(s: NodeStatus): void;
  /** Shows why the node did not answer; the last answer's panels stay. */
  problem(e: unknown): void;
}

/** `node()` is the node's API as the page uses it now (for the jobs' logs). */
export function nodeView(node: () => NodeApi): NodeView {
  const stateLine = h("p", { id: "node-state", class: "node-state", role: "status", "aria-live": "polite" }, "Asking the node…");
  const problem = h("p", { id: "node-problem", role: "alert" });
  const nodeFacts = h("div", { id: "node-facts" }, loading());
  const running = h("div", { class: "jobs", id: "jobs-running" });
  const recent = h("div", { class: "jobs", id: "jobs-recent" });
  const warnings = h("div", { id: "node-errors" });

  const say = (el: HTMLElement, text: string) => {
    if (el.textContent !== text) el.textContent = text;
  };

  function draw(s: NodeStatus) {
    say(problem, "");
    problem.className = "";
    say(stateLine, NODE_STATE_WORDS[s.state]);
    stateLine.dataset.state = s.state;
    drawNode(s);
  }

  function showProblem(e: unknown) {
    say(problem, errorMessage(e));
    problem.className = "error";
    say(stateLine, e instanceof NodeApiError && e.kind === "unreachable" ? "Unknown: the node does not answer." : "Unknown: see the error below.");
    stateLine.dataset.state = "unknown";
  }

  function drawNode(s: NodeStatus) {
    const badge = h("span", { class: `badge badge-node-${s.state}` }, s.state);
    const hb = s.heartbeat;
    const minerWords =
      s.miner === "disabled"
        ? "disabled in the node's config"
        : s.miningPausedByOwner
          ? "paused by you"
          : s.miner === "paused"
            ? "paused while a job runs"
            : "on";
    nodeFacts.replaceChildren(
      facts([
        ["State", badge],
        ["Mining", minerWords],
        ["Provider", h("span", { class: "mono" }, s.provider)],
        ["Peer id", h("span", { class: "mono" }, s.peerId ?? "no libp2p host")],
        ["Running since", dateTime(s.startedAt)],
        ["GPU", s.gpu.adapter],
        ["Backend", s.gpu.backend],
        ["GPU memory", `${s.gpu.memoryMib.toLocaleString()} MiB`],
        ["Hashrate", `${Math.round(s.mining.hashrate).toLocaleString()} H/s measured`],
        ["Hashes", h("span", { id: "node-hashes", "data-value": s.mining.hashes.toString() }, formatUnits(s.mining.hashes, 0))],
        ["Solutions", String(s.mining.solutions)],
        ["GUT mined", h("span", { id: "node-mined" }, gut(s.mining.minedUgut))],
        ["Earnings withdrawn", h("span", { id: "node-withdrawn", "data-value": s.earnings.withdrawnUgut.toString() }, gut(s.earnings.withdrawnUgut))],
        ["Earnings pending", h("span", { id: "node-pending", "data-value": s.earnings.pendingUgut.toString() }, `${gut(s.earnings.pendingUgut)} (Active leases, to the last heartbeat)`)],
        [
          "Heartbeats",
          h(
            "span",
            { id: "node-heartbeat" },
            `${hb.count} sent` + (hb.lastAt === null || hb.lagS === null ? ", none included yet" : `, the last ${Math.round(hb.lagS)} s ago (${dateTime(hb.lastAt)})`),
          ),
        ],
      ]),
    );
    drawJobs(running, s.jobs.running, "No job is running.");
    drawJobs(recent, s.jobs.recent, "No job has finished since the node started.");
    // The node keeps the last 20 finished jobs: forget the views of older ones.
    const listed = new Set([...s.jobs.running, ...s.jobs.recent].map(jobKey));
    for (const key of jobViews.keys()) if (!listed.has(key)) jobViews.delete(key);
    warnings.replaceChildren(
      s.errors.length
        ? h("ul", {}, ...s.errors.map((e) => h("li", {}, h("time", { datetime: new Date(e.at * 1000).toISOString() }, dateTime(e.at)), `: ${e.message}`)))
        : h("p", {}, "No warnings since the node started."),
    );
  }

  // Jobs keep their element (open or not, log read) across polls, keyed by lease, kind
  // and start; a list is reordered only when its jobs change.
  const jobViews = new Map<string, { el: HTMLDetailsElement; body: HTMLElement; log: HTMLPreElement; signature: string; job: NodeJob }>();

  const jobKey = (j: NodeJob) => `${j.kind}:${j.leaseId}:${j.startedAt}`;

  function jobView(j: NodeJob): HTMLDetailsElement {
    const key = jobKey(j);
    let view = jobViews.get(key);
    if (!view) {
      const log = h("pre", { class: "log", tabindex: "0", role: "region", "aria-label": `Log of lease ${j.leaseId}` }, "Open to read the log.");
      const body = h("div", {});
      const el = h("details", { class: "job", "data-lease": j.leaseId, "data-kind": j.kind }, h("summary", {}), body, h("h5", {}, "Log"), log);
      view = { el, body, log, signature: "", job: j };
      const v = view;
      el.addEventListener("toggle", () => {
        if (el.open) void readLog(v);
      });
      jobViews.set(key, view);
    }
    const signature = JSON.stringify(j);
    if (signature !== view.signature) {
      view.signature = signature;
      view.job = j;
      const outcome = j.outcome ? OUTCOME_WORDS[j.outcome] : "running";
      view.el.dataset.outcome = j.outcome ?? "running";
      view.el.querySelector("summary")!.textContent =
        `Lease ${j.leaseId}: ${j.kind === "check" ? "check" : "job"}, ${outcome}` +
        (j.finishedAt === null ? `, since ${dateTime(j.startedAt)}` : `, ${duration(Math.max(0, j.finishedAt - j.startedAt))}`);
      view.body.replaceChildren(
        facts([
          ["Workload", h("span", { class: "mono" }, j.workloadCid)],
          ["Started", dateTime(j.startedAt)],
          ["Finished", j.finishedAt === null ? "still running" : dateTime(j.finishedAt)],
          ...(j.failure ? ([["Failure", j.failure]] as [string, string][]) : []),
          ...(j.resultCid ? ([["Result", h("span", { class: "mono" }, j.resultCid)]] as [string, string | Node][]) : []),
        ]),
      );
      // A finished job's log is complete now: read it again if it is shown.
      if (view.el.open) void readLog(view);
    } else if (view.el.open && j.finishedAt === null) {
      void readLog(view);
    }
    return view.el;
  }

  async function readLog(v: { log: HTMLPreElement; job: NodeJob }) {
    try {
      say(v.log, (await node().jobLog(v.job.leaseId)) || "The log is empty so far.");
    } catch (e) {
      say(v.log, errorMessage(e));
    }
  }

  function drawJobs(list: HTMLElement, jobs: NodeJob[], none: string) {
    const els = jobs.map(jobView);
    const shown = [...list.children];
    const same = shown.length > 0 && els.length === shown.length && els.every((el, i) => shown[i] === el);
    if (!same) list.replaceChildren(...(els.length ? els : [h("p", {}, none)]));
  }

  return {
    state: [stateLine, problem],
    facts: panel("node-title-facts", "The node", nodeFacts),
    jobs: panel(
      "jobs-title",
      "Jobs",
      h("h4", {}, "Running"),
      running,
      h("h4", {}, "Recent"),
      recent,
    ),
    warnings: panel("warnings-title", "Last warnings", warnings),
    draw,
    problem: showProblem,
  };
}
