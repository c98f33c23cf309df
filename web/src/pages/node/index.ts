// "My node": a provider's dashboard. The node itself (`gpu-node serve`'s local API,
// polled every 2 s): its state, GPU and mining counters, jobs with their logs, earnings,
// heartbeats and warnings; the owner pauses and resumes mining with the dashboard token.
// The market's view of the same provider (status, leases on a time axis, reputation,
// proven hashrate, endorsements) and its history from the chain's transaction index
// (earnings and GUT mined over blocks). Chain actions (price, withdraw, leave) are signed
// in Keplr with the node's key, or by the node itself through its API.
//
// This module holds which node (the settings and the connect form), polls it, and lays
// out the parts: `node-view` (the node's answers), `actions`, `chain-view` (the market's).
import { NodeApi, NodeSettings } from "../../node-api";
import { field, h, setFieldError, type Ctx, type Page } from "../../ui";
import { actionsPanel } from "./actions";
import { chainView } from "./chain-view";
import { errorMessage } from "../../errors";
import { nodeView } from "./node-view";

const POLL_MS = 2_000;

export function nodePage(ctx: Ctx, apiParam: string | undefined): Page {
  const settings = new NodeSettings(localStorage, sessionStorage);
  /** Why the link's `api` was not taken (the address last used is, instead). */
  let linkProblem = "";
  if (apiParam) {
    try {
      settings.setApi(apiParam);
    } catch (e) {
      linkProblem = `The link's node address is not usable (${errorMessage(e)}): the one used before is shown.`;
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
          setFieldError("node-api", errorMessage(err));
          apiInput.focus();
          return;
        }
        try {
          settings.setToken(tokenInput.value);
        } catch (err) {
          setFieldError("node-token", errorMessage(err));
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

  // --- the parts ------------------------------------------------------------------------------
  const view = nodeView(node);
  const actions = actionsPanel(ctx, {
    node,
    provider: () => provider,
    pollNode: () => {
      if (!disposed) void poll(generation);
    },
    refreshChain: () => void refreshChain(),
  });
  const market = chainView(ctx, actions.showDue);

  async function refreshChain() {
    if (!provider) return;
    actions.showWallet(provider);
    await market.refresh(provider);
  }

  // --- polling the node ---------------------------------------------------------------------
  let generation = 0;
  let timer: number | undefined;

  async function poll(gen: number) {
    const api = node();
    try {
      const s = await api.status();
      if (gen !== generation || disposed) return;
      view.draw(s);
      if (s.provider !== provider) {
        provider = s.provider;
        settings.rememberProvider(api.base, s.provider);
        void refreshChain();
      }
    } catch (e) {
      if (gen !== generation || disposed) return;
      view.problem(e);
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

  // --- the page ----------------------------------------------------------------------------------
  const el = h(
    "section",
    { "aria-labelledby": "node-title", class: "dashboard" },
    h("h2", { id: "node-title" }, "My node"),
    h("p", { class: "lead" }, "Your provider node as it runs (its local API, every 2 s) and as the market sees it."),
    linkProblem ? h("p", { class: "error", role: "alert" }, linkProblem) : null,
    connectForm,
    ...view.state,
    h("div", { class: "dash-grid" }, view.facts, actions.el, view.jobs, view.warnings, market.leases, market.history, market.market),
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
