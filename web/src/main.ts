// The app shell: header with the wallet, a hash router over the pages, and live updates
// from the chain's WebSocket (a page re-reads the chain when a transaction touched one
// of the GPUnion contracts).
import "./style.css";
import { Chain } from "./chain";
import { extraChains, loadConfig } from "./config";
import { ABSENT_MESSAGE, walletError } from "./errors";
import { ChainEvents } from "./events";
import { gut, shortAddress } from "./format";
import { leasesPage } from "./pages/leases";
import { miningPage } from "./pages/mining";
import { newLeasePage } from "./pages/new-lease";
import { nodePage } from "./pages/node/index";
import { providerPage } from "./pages/provider";
import { providersPage } from "./pages/providers";
import { swapPage } from "./pages/swap";
import { errorBox, h, type Ctx, type Page } from "./ui";
import { connect, detectKeplr } from "./wallet";

const NAV: [string, string][] = [
  ["#/providers", "Providers"],
  ["#/lease/new", "New lease"],
  ["#/leases", "My leases"],
  ["#/mining", "Mining"],
  ["#/swap", "Token swap"],
  ["#/node", "My node"],
];

async function main() {
  const root = document.getElementById("app")!;
  const walletBox = h("div", { class: "wallet", id: "wallet" });
  const notice = h("p", { class: "notice", id: "wallet-notice", role: "alert" });
  const live = h("span", { class: "live", id: "live", title: "Live updates from the chain" }, "○ offline");
  const nav = h("nav", { "aria-label": "Pages" }, h("ul", {}, ...NAV.map(([href, text]) => h("li", {}, h("a", { href }, text)))));
  const main = h("main", { id: "main", tabindex: "-1" });
  root.replaceChildren(
    h("a", { class: "skip", href: "#main", onclick: (e: Event) => (e.preventDefault(), main.focus()) }, "Skip to content"),
    h("header", { class: "top" }, h("h1", {}, h("a", { href: "#/providers" }, "GPUnion")), live, walletBox),
    nav,
    notice,
    main,
  );

  let config;
  let chain;
  try {
    config = await loadConfig();
    chain = await Chain.connect(config);
  } catch (e) {
    main.replaceChildren(errorBox(e));
    return;
  }
  const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/rpc/websocket`;
  const events = new ChainEvents(wsUrl);
  events.onStatus = (up) => {
    live.textContent = up ? "● live" : "○ offline";
    live.dataset.live = String(up);
  };

  const ctx: Ctx = {
    config,
    chain,
    events,
    async connect() {
      notice.textContent = "";
      try {
        ctx.wallet = await connect(config, extraChains(import.meta.env.VITE_EXTRA_CHAINS));
        await ctx.refreshBalance();
        void page?.refresh();
        return ctx.wallet;
      } catch (e) {
        notice.textContent = walletError(e).message;
        notice.dataset.kind = walletError(e).kind;
        return undefined;
      }
    },
    async refreshBalance() {
      if (!ctx.wallet) {
        walletBox.replaceChildren(h("button", { type: "button", id: "connect", onclick: () => ctx.connect() }, "Connect Keplr"));
        return;
      }
      const balance = await chain.gutBalance(ctx.wallet.address).catch(() => undefined);
      walletBox.replaceChildren(
        h("span", { class: "mono", id: "address", title: ctx.wallet.address }, shortAddress(ctx.wallet.address)),
        " ",
        h("span", { id: "balance" }, balance === undefined ? "GUT ?" : gut(balance)),
      );
    },
  };
  await ctx.refreshBalance();
  if (!(await detectKeplr(500))) notice.textContent = ABSENT_MESSAGE;
  window.addEventListener("keplr_keystorechange", () => {
    ctx.wallet = undefined;
    void ctx.connect();
  });

  let page: Page | undefined;
  const route = () => {
    const [path, query] = (location.hash || "#/providers").slice(1).split("?");
    const params = new URLSearchParams(query ?? "");
    const parts = path.split("/").filter(Boolean);
    page?.dispose?.();
    if (parts[0] === "provider" && parts[1]) page = providerPage(ctx, parts[1]);
    else if (parts[0] === "lease" && parts[1] === "new") page = newLeasePage(ctx, params.get("provider") ?? undefined);
    else if (parts[0] === "leases") page = leasesPage(ctx);
    else if (parts[0] === "mining") page = miningPage(ctx);
    else if (parts[0] === "swap") page = swapPage(ctx);
    else if (parts[0] === "node") page = nodePage(ctx, params.get("api") ?? undefined);
    else page = providersPage(ctx);
    for (const a of nav.querySelectorAll("a")) {
      if (a.getAttribute("href") === `#/${parts.join("/")}`) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    main.replaceChildren(page.el);
    const title = page.el.querySelector("h2")?.textContent ?? "GPUnion";
    document.title = `${title} — GPUnion`;
    void page.refresh();
  };
  window.addEventListener("hashchange", route);
  route();

  const watched = new Set(Object.values(config.contracts).filter(Boolean));
  let timer: number | undefined;
  events.subscribe((e) => {
    if (!e.contracts.some((c) => watched.has(c))) return;
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      void page?.refresh();
      if (ctx.wallet) void ctx.refreshBalance();
    }, 300);
  });
  events.start();
}

void main();
