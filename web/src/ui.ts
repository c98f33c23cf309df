// A few DOM helpers: the app is small enough for plain TypeScript (no framework).
import type { ExecuteInstruction } from "@cosmjs/cosmwasm-stargate";
import type { AppConfig } from "./config";
import type { Chain } from "./chain";
import type { ChainEvents } from "./events";
import { errorMessage } from "./errors";
import { describeTx, sendTx, type TxState } from "./tx";
import type { Wallet } from "./wallet";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

/** `h("a", { href: "#/" }, "Home")`: attributes (`on*` are listeners), then children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = String(v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
  return el;
}

/** A dashboard panel: a section named by its `h3` title (`<id>` is the title's id). */
export function panel(id: string, title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h("section", { "aria-labelledby": id, class: "panel" }, h("h3", { id }, title), ...children);
}

/** A labelled field: label, control, and a message slot the control is described by. */
export function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id = id;
  const msg = h("p", { class: "field-error", id: `${id}-error`, role: "alert" });
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintEl, msg);
}

export function setFieldError(id: string, message: string): void {
  const control = document.getElementById(id);
  const msg = document.getElementById(`${id}-error`);
  if (msg) msg.textContent = message;
  if (control) {
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

/** What every page gets. */
export interface Ctx {
  config: AppConfig;
  chain: Chain;
  events: ChainEvents;
  wallet?: Wallet;
  connect(): Promise<Wallet | undefined>;
  refreshBalance(): Promise<void>;
}

export interface Page {
  el: HTMLElement;
  /** Re-reads the chain (called on load and on transactions touching the contracts). */
  refresh(): Promise<void>;
  dispose?(): void;
}

/**
 * Sends `instructions` with the state shown in `status` (a live region); the wallet is
 * connected first if it is not. Returns the final state.
 */
export async function runTx(
  ctx: Ctx,
  status: HTMLElement,
  instructions: ExecuteInstruction[],
): Promise<TxState | undefined> {
  const wallet = ctx.wallet ?? (await ctx.connect());
  if (!wallet) return undefined;
  const s = await sendTx(ctx.config, wallet, instructions, (s) => setStatus(status, s.kind, describeTx(s)));
  if (s.kind === "included") void ctx.refreshBalance();
  return s;
}

/**
 * Shows an action's state in its status line: `state` is a transaction's (`TxState`'s
 * kind) or another action's ("pending", "done", "failed", "refused").
 */
export function setStatus(status: HTMLElement, state: string, text: string): void {
  status.textContent = text;
  status.className = `tx-status tx-${state}`;
  status.dataset.state = state;
}

export function txStatus(id: string): HTMLElement {
  return h("p", { class: "tx-status", id, role: "status", "aria-live": "polite" });
}

export function loading(): HTMLElement {
  return h("p", { class: "loading", role: "status" }, "Loading from the chain…");
}

export function errorBox(e: unknown): HTMLElement {
  return h("p", { class: "error", role: "alert" }, errorMessage(e));
}
