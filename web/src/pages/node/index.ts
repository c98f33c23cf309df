// "My node": a provider's dashboard. The node itself (`gpu-node serve`'s local API,
// polled every 2 s): its state, GPU and mining counters, jobs with their logs, earnings,
// heartbeats and warnings; the owner pauses and resumes mining with the dashboard token.
// The market's view of the same provider (status, leases on a time axis, reputation,
// proven hashrate, endorsements) and its history from the chain's transaction index
// (earnings and GUT mined over blocks). Chain actions (price, withdraw, leave) are signed
// in Keplr with the node's key, or by the node itself through its API.
import type { ExecuteInstruction } from "@cosmjs/cosmwasm-stargate";
import { lineChart, timelineChart } from "../chart";
import type { Lease, LeaseResponse } from "../contracts/market";
import { dateTime, duration, formatUnits, gut, parseUnits, shortAddress } from "../format";
import { NodeApi, NodeApiError, NodeSettings, type JobOutcome, type NodeJob, type NodeState, type NodeStatus } from "../node-api";
import { leaseTimeline, miningRewards, payouts, runningTotal, withdrawPlan, type Credit } from "../provider-history";
import { statusBadge } from "../providers";
import { errorBox, field, h, loading, runTx, setFieldError, setStatus, txStatus, type Ctx, type Page } from "../ui";
import { facts, readProviderRecord, recordSections, type ProviderRecord } from "./provider-record";

const POLL_MS = 2_000;

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

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function nodePage(ctx: Ctx, apiParam: string | undefined): Page {
  const settings = new NodeSettings(localStorage, sessionStorage);
  /** Why the link's `api` was not taken (the address last used is, instead). */
  let linkProblem = "";
  if (apiParam) {
    try {
      settings.setApi(apiParam);
    } catch (e) {
      linkProblem = `The link's node address is not usable (${message(e)}): the one used before is shown.`;
    }
  }
  const node = () => new NodeApi(settings.api, settings.token);
  /** The provider the chain's part shows: the node's, or the one it last named. */
  let provider = settings.provider(settings.api);
  let disposed = false;

  // --- which node, and its token ----------------------------------------------------------
  const apiInput = h("input", { type: "text", inputmode: "url", value: settings.api, spellcheck: "false", autocomplete: "off" });
  const tokenInput = h("input", { type: "password", value: settings.token, autocomplete: "off", spellcheck: "false" });
  const connectForm = h(
    "form",
    {
      class: "node-connect",
      "aria-label": "Your node",
      onsubmit: (e: Event) => {
        e.preventDefault();
        setFieldError("node-api", "");
        setFieldError("node-token", "");
        let api: string;
        try {
          api = settings.setApi(apiInput.value);
        } catch (err) {
          setFieldError("node-api", message(err));
          apiInput.focus();
          return;
        }
        try {
          settings.setToken(tokenInput.value);
        } catch (err) {
          setFieldError("node-token", message(err));
          tokenInput.focus();
          return;
        }
        apiInput.value = api;
        // The page's address names the node (never the token), to bookmark or share.
        history.replaceState(null, "", `#/node?api=${encodeURIComponent(api)}`);
        provider = settings.provider(api);
        restartPolling();
        void refreshChain();
      },
    },
    field("node-api", "Node API address", apiInput, "gpu-node serve prints the dashboard link with it (the node's metrics_listen, 127.0.0.1:9464 unless changed)."),
    field(
      "node-token",
      "Dashboard token",
      tokenInput,
      "Printed by gpu-node init; also in the node home's config.toml under [dashboard] token. Needed for the node's actions; kept in this browser tab only.",
    ),
    h("button", { type: "submit" }, "Use this node"),
  );

  // --- the node's live state ----------------------------------------------------------------
  const stateLine = h("p", { id: "node-state", class: "node-state", role: "status", "aria-live": "polite" }, "Asking the node…");
  const problem = h("p", { id: "node-problem", role: "alert" });
  const nodeFacts = h("div", { id: "node-facts" }, loading());
  const running = h("div", { class: "jobs", id: "jobs-running" });
  const recent = h("div", { class: "jobs", id: "jobs-recent" });
  const warnings = h("div", { id: "node-errors" });

  const say = (el: HTMLElement, text: string) => {
    if (el.textContent !== text) el.textContent = text;
  };

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
      say(v.log, message(e));
    }
  }

  function drawJobs(list: HTMLElement, jobs: NodeJob[], none: string) {
    const els = jobs.map(jobView);
    const shown = [...list.children];
    const same = shown.length > 0 && els.length === shown.length && els.every((el, i) => shown[i] === el);
    if (!same) list.replaceChildren(...(els.length ? els : [h("p", {}, none)]));
  }

  // --- polling the node ---------------------------------------------------------------------
  let generation = 0;
  let timer: number | undefined;

  async function poll(gen: number) {
    const api = node();
    try {
      const s = await api.status();
      if (gen !== generation || disposed) return;
      say(problem, "");
      problem.className = "";
      say(stateLine, NODE_STATE_WORDS[s.state]);
      stateLine.dataset.state = s.state;
      drawNode(s);
      if (s.provider !== provider) {
        provider = s.provider;
        settings.rememberProvider(api.base, s.provider);
        void refreshChain();
      }
    } catch (e) {
      if (gen !== generation || disposed) return;
      say(problem, message(e));
      problem.className = "error";
      say(stateLine, e instanceof NodeApiError && e.kind === "unreachable" ? "Unknown: the node does not answer." : "Unknown: see the error below.");
      stateLine.dataset.state = "unknown";
    }
    // One loop: a poll asked for between two (after an action) takes over the next.
    clearTimeout(timer);
    timer = window.setTimeout(() => void poll(gen), POLL_MS);
  }

  function restartPolling() {
    generation++;
    clearTimeout(timer);
    void poll(generation);
  }

  // --- actions --------------------------------------------------------------------------------
  const miningStatus = txStatus("mining-action");
  async function mining(pause: boolean) {
    setStatus(miningStatus, "pending", pause ? "Asking the node to pause mining…" : "Asking the node to resume mining…");
    try {
      const r = pause ? await node().pauseMining() : await node().resumeMining();
      const text =
        r.miner === "disabled"
          ? "Mining is disabled in the node's config ([mining] enabled = false): there is nothing to pause or resume."
          : `Done: the node's miner is ${r.miner}, the node is ${r.state}.`;
      setStatus(miningStatus, "done", text);
    } catch (e) {
      setStatus(miningStatus, "failed", message(e));
    }
    if (!disposed) void poll(generation);
  }

  const signer = h(
    "fieldset",
    { class: "signer" },
    h("legend", {}, "Sign price changes and withdrawals with"),
    h("label", {}, h("input", { type: "radio", name: "signer", value: "keplr", id: "signer-keplr", checked: true }), "Keplr (the node's key imported into it)"),
    h("label", {}, h("input", { type: "radio", name: "signer", value: "node", id: "signer-node" }), "The node itself (needs the token)"),
  );
  const byNode = () => (signer.querySelector("#signer-node") as HTMLInputElement).checked;
  const walletNote = h("p", { class: "hint", id: "wallet-match" });

  /**
   * Signs `build()`'s messages in Keplr as the provider; refused in words when Keplr's
   * account is another, or when `build` says why there is nothing to sign.
   */
  async function signAsProvider(statusEl: HTMLElement, build: (provider: string) => Promise<ExecuteInstruction[] | string>) {
    if (!provider) return setStatus(statusEl, "refused", "The node has not named its provider yet: it must answer first.");
    const wallet = ctx.wallet ?? (await ctx.connect());
    if (!wallet) return setStatus(statusEl, "refused", "Connect Keplr first (see the message above).");
    if (wallet.address !== provider)
      return setStatus(
        statusEl,
        "refused",
        `Keplr's account ${wallet.address} is not this node's provider ${provider}: nothing was signed. Import the node's key into Keplr, or let the node sign.`,
      );
    setStatus(statusEl, "pending", "Reading the provider's record from the chain…");
    try {
      const built = await build(provider);
      if (typeof built === "string") return setStatus(statusEl, "refused", built);
      await runTx(ctx, statusEl, built);
    } catch (e) {
      setStatus(statusEl, "failed", message(e));
    }
  }

  async function askNode(statusEl: HTMLElement, pendingText: string, act: () => Promise<string>) {
    setStatus(statusEl, "pending", pendingText);
    try {
      setStatus(statusEl, "done", await act());
    } catch (e) {
      setStatus(statusEl, "failed", message(e));
    }
    void refreshChain();
  }

  const priceInput = h("input", { type: "text", inputmode: "decimal", autocomplete: "off" });
  const priceStatus = txStatus("price-tx");
  const priceForm = h(
    "form",
    {
      class: "inline",
      "aria-label": "Change the price",
      onsubmit: (e: Event) => {
        e.preventDefault();
        setFieldError("new-price", "");
        let ugut: bigint;
        try {
          ugut = parseUnits(priceInput.value);
        } catch (err) {
          setFieldError("new-price", `The price must be a number of GUT, e.g. 3.6 (${message(err)}).`);
          return;
        }
        if (ugut <= 0n) return setFieldError("new-price", "The price must be more than 0 GUT.");
        if (byNode()) {
          void askNode(priceStatus, "Asking the node to sign the new price…", async () => {
            const r = await node().setPrice(ugut);
            return `Done: the node's transaction ${r.tx.slice(0, 12)}… set the price to ${gut(r.pricePerHour)} per GPU-hour.`;
          });
          return;
        }
        void signAsProvider(priceStatus, async (address) => {
          const p = await ctx.chain.provider(address);
          if (!p) return `The market has no provider ${address}.`;
          // Every attribute as the market holds it (including any this app's types do
          // not name), with the new price.
          const attributes = { ...p.provider.attributes, price_per_hour: ugut.toString() };
          return [{ contractAddress: ctx.config.contracts.market, msg: { update_provider: { attributes } } }];
        });
      },
    },
    field("new-price", "New price (GUT per GPU-hour)", priceInput),
    h("button", { type: "submit" }, "Change price"),
  );

  const withdrawStatus = txStatus("withdraw-tx");
  const withdrawable = h("span", { id: "withdrawable" });
  const withdraw = () => {
    if (byNode()) {
      void askNode(withdrawStatus, "Asking the node to withdraw from its Active leases…", async () => {
        const r = await node().withdraw();
        return r.withdrawnUgut > 0n
          ? `Done: the node withdrew ${gut(r.withdrawnUgut)} from lease${r.leases.length > 1 ? "s" : ""} ${r.leases.join(", ")}.`
          : "Nothing was due: no Active lease had earnings to withdraw.";
      });
      return;
    }
    void signAsProvider(withdrawStatus, async (address) => {
      const plan = withdrawPlan(await activeLeases(await ctx.chain.leasesOfProvider(address)));
      if (plan.leaseIds.length === 0)
        return "Nothing to withdraw now: no Active lease has earnings due (they count up to the node's last heartbeat).";
      return plan.leaseIds.map((lease_id) => ({ contractAddress: ctx.config.contracts.market, msg: { withdraw: { lease_id } } }));
    });
  };

  const leaveStatus = txStatus("leave-tx");
  const confirmYes = h("button", { type: "button", class: "danger" }, "Yes, leave the market");
  const confirmNo = h("button", { type: "button", class: "secondary" }, "Cancel");
  const confirmText = h(
    "p",
    { id: "leave-confirm-text", tabindex: "-1" },
    "Leave the market? The provider takes no more leases; its stake stays bonded for the market's unbonding period, then it can be claimed back. The market refuses while a lease is open. Signed in Keplr with the node's key.",
  );
  const confirm = h("div", { class: "confirm", id: "leave-confirm", role: "group", "aria-labelledby": "leave-confirm-text", hidden: true }, confirmText, h("p", { class: "actions" }, confirmYes, confirmNo));
  const leaveButton = h("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-controls": "leave-confirm" }, "Leave the market…");
  const closeConfirm = () => {
    confirm.hidden = true;
    leaveButton.setAttribute("aria-expanded", "false");
  };
  leaveButton.addEventListener("click", () => {
    confirm.hidden = false;
    leaveButton.setAttribute("aria-expanded", "true");
    confirmText.focus();
  });
  confirmNo.addEventListener("click", () => {
    closeConfirm();
    setStatus(leaveStatus, "refused", "Not left: nothing was signed.");
    leaveButton.focus();
  });
  confirmYes.addEventListener("click", () => {
    closeConfirm();
    leaveButton.focus();
    void signAsProvider(leaveStatus, async () => [{ contractAddress: ctx.config.contracts.market, msg: { leave: {} } }]);
  });

  const actions = h(
    "section",
    { "aria-labelledby": "actions-title", class: "panel" },
    h("h3", { id: "actions-title" }, "Actions"),
    h("h4", {}, "Mining (the node, with the token)"),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", id: "pause-mining", onclick: () => void mining(true) }, "Pause mining"),
      h("button", { type: "button", id: "resume-mining", onclick: () => void mining(false) }, "Resume mining"),
    ),
    miningStatus,
    h("h4", {}, "On the market"),
    signer,
    walletNote,
    priceForm,
    priceStatus,
    h("p", { class: "actions" }, h("button", { type: "button", id: "withdraw", onclick: withdraw }, "Withdraw earnings"), withdrawable),
    withdrawStatus,
    h("p", { class: "actions" }, leaveButton),
    confirm,
    leaveStatus,
  );

  // --- the chain's view of the provider --------------------------------------------------------
  const chainBody = h("div", { id: "chain-view" }, h("p", {}, "The market's view appears once the node names its provider."));
  const timeline = h("div", { id: "lease-timeline" });
  const earningsChart = h("div", { id: "earnings-chart" });
  const minedChart = h("div", { id: "mined-chart" });
  /** What the charts were drawn from: the tx index is read again only when it changed. */
  let historyKey = "";
  let chainRead = 0;

  /** The Active ones of `leases` with what each has earned and could withdraw now. */
  async function activeLeases(leases: Lease[]): Promise<LeaseResponse[]> {
    const active = leases.filter((l) => l.state === "active");
    return (await Promise.all(active.map((l) => ctx.chain.lease(l.id)))).filter((l): l is LeaseResponse => !!l);
  }

  async function refreshChain() {
    const address = provider;
    if (!address) return;
    const read = ++chainRead;
    walletNote.textContent = ctx.wallet
      ? ctx.wallet.address === address
        ? `Keplr holds the node's key (${shortAddress(address)}).`
        : `Keplr's account ${shortAddress(ctx.wallet.address)} is not the node's provider (${shortAddress(address)}): Keplr cannot sign for it.`
      : "Keplr is not connected: it is asked when you sign.";
    try {
      const record = await readProviderRecord(ctx, address);
      if (read !== chainRead) return;
      if (!record) {
        chainBody.replaceChildren(h("p", {}, `The market has no provider ${address}: register the node with gpu-node register.`));
        return;
      }
      const leases = await ctx.chain.leasesOfProvider(address);
      const active = await activeLeases(leases);
      if (read !== chainRead) return;
      drawChain(record, leases, active);
      const key = `${record.p.provider.stats.earned}/${record.mining?.solutions ?? 0}`;
      if (key !== historyKey) {
        historyKey = key;
        await drawHistory(record);
      }
    } catch (e) {
      if (read === chainRead) chainBody.replaceChildren(errorBox(e));
    }
  }

  function drawChain(r: ProviderRecord, leases: Lease[], active: LeaseResponse[]) {
    const badge = statusBadge(r.p.status);
    const plan = withdrawPlan(active);
    withdrawable.textContent = `${gut(plan.ugut)} due now (${active.length} Active lease${active.length === 1 ? "" : "s"})`;
    chainBody.replaceChildren(
      h("p", { id: "market-status" }, "Status as the market computes it: ", h("span", { class: badge.cls }, badge.text)),
      facts([
        ["Price", h("span", { id: "market-price", "data-value": r.p.provider.attributes.price_per_hour }, `${gut(r.p.provider.attributes.price_per_hour)} per GPU-hour`)],
        ["Open leases", `${r.p.provider.open_leases} (${r.p.provider.active_leases} Active)`],
        ["Withdrawable now", gut(plan.ugut)],
        ["Earned in all (gross)", h("span", { id: "market-earned", "data-value": r.p.provider.stats.earned }, gut(r.p.provider.stats.earned))],
      ]),
      ...recordSections(r, "h4"),
    );
    const t = leaseTimeline(leases, r.now);
    timeline.replaceChildren(
      ...(t
        ? [
            timelineChart(t, `The provider's ${t.bars.length} newest leases from ${dateTime(t.from)} to ${dateTime(t.until)}`),
            h(
              "ul",
              { class: "leases", "aria-label": "The provider's leases" },
              ...t.bars.map((b) => h("li", { "data-lease": b.id, "data-state": b.state }, h("span", { class: `badge badge-lease-${b.state}` }, b.state), " ", b.label)),
            ),
          ]
        : [h("p", {}, "No leases yet.")]),
    );
  }

  async function drawHistory(r: ProviderRecord) {
    const { gut: gutToken, market, mining } = ctx.config.contracts;
    const [paid, mined] = await Promise.all([
      ctx.chain.client.searchTx(`wasm.from='${market}' AND wasm.to='${r.address}'`).catch(() => []),
      mining ? ctx.chain.client.searchTx(`wasm._contract_address='${mining}' AND wasm.miner='${r.miner}'`).catch(() => []) : Promise.resolve([]),
    ]);
    const chart = (credits: Credit[], empty: string, what: string) => {
      const points = runningTotal(credits);
      return lineChart(
        points.map(([height, ugut]) => [height, Number(ugut)]),
        empty,
        ([block]) => {
          const total = points[points.length - 1][1];
          return { summary: `${what}: ${gut(total)} by block ${block}`, top: gut(total) };
        },
      );
    };
    earningsChart.replaceChildren(chart(payouts(paid, { gut: gutToken, market, provider: r.address }), "Nothing paid yet.", "Paid to the provider by the market"));
    minedChart.replaceChildren(chart(miningRewards(mined, { mining: mining ?? "", miner: r.miner }), "Nothing mined yet.", "GUT mined by the provider's mining account"));
  }

  // --- the page ----------------------------------------------------------------------------------
  const el = h(
    "section",
    { "aria-labelledby": "node-title", class: "dashboard" },
    h("h2", { id: "node-title" }, "My node"),
    h("p", { class: "lead" }, "Your provider node as it runs (its local API, every 2 s) and as the market sees it."),
    linkProblem ? h("p", { class: "error", role: "alert" }, linkProblem) : null,
    connectForm,
    stateLine,
    problem,
    h(
      "div",
      { class: "dash-grid" },
      h("section", { "aria-labelledby": "node-title-facts", class: "panel" }, h("h3", { id: "node-title-facts" }, "The node"), nodeFacts),
      actions,
      h(
        "section",
        { "aria-labelledby": "jobs-title", class: "panel" },
        h("h3", { id: "jobs-title" }, "Jobs"),
        h("h4", {}, "Running"),
        running,
        h("h4", {}, "Recent"),
        recent,
      ),
      h("section", { "aria-labelledby": "warnings-title", class: "panel" }, h("h3", { id: "warnings-title" }, "Last warnings"), warnings),
      h("section", { "aria-labelledby": "leases-title", class: "panel" }, h("h3", { id: "leases-title" }, "Leases"), timeline),
      h(
        "section",
        { "aria-labelledby": "history-title", class: "panel" },
        h("h3", { id: "history-title" }, "Earnings and mining over time"),
        h("h4", {}, "Paid by the market"),
        earningsChart,
        h("h4", {}, "GUT mined"),
        minedChart,
      ),
      h("section", { "aria-labelledby": "market-title", class: "panel wide" }, h("h3", { id: "market-title" }, "On the market"), chainBody),
    ),
  );

  restartPolling();
  return {
    el,
    refresh: refreshChain,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
