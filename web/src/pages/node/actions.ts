// The owner's actions: pause and resume mining (the node, with the token); on the market,
// change the price and withdraw, signed in Keplr with the node's key or by the node itself
// (the signer choice), and leave the market (Keplr, confirmed first).
import type { ExecuteInstruction } from "@cosmjs/cosmwasm-stargate";
import { gut, parseUnits, shortAddress } from "../../format";
import type { NodeApi } from "../../node-api";
import { withdrawPlan } from "../../provider-history";
import { field, h, panel, runTx, setFieldError, setStatus, txStatus, type Ctx } from "../../ui";
import { activeLeases } from "./chain-view";
import { errorMessage } from "../../errors";

/** What the actions need from the page. */
export interface ActionsDeps {
  /** The node's API as the page uses it now (address and token). */
  node: () => NodeApi;
  /** The provider the node named (or last named), once known. */
  provider: () => string | undefined;
  /** Polls the node now, to show what an action changed. */
  pollNode: () => void;
  /** Reads the market's view again. */
  refreshChain: () => void;
}

export interface Actions {
  el: HTMLElement;
  /** Says whether Keplr holds `provider`'s key, so can sign for it. */
  showWallet(provider: string): void;
  /** Shows what the provider could withdraw now, from how many Active leases. */
  showDue(ugut: bigint, activeLeases: number): void;
}

export function actionsPanel(ctx: Ctx, { node, provider, pollNode, refreshChain }: ActionsDeps): Actions {
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
      setStatus(miningStatus, "failed", errorMessage(e));
    }
    pollNode();
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
    const address = provider();
    if (!address) return setStatus(statusEl, "refused", "The node has not named its provider yet: it must answer first.");
    const wallet = ctx.wallet ?? (await ctx.connect());
    if (!wallet) return setStatus(statusEl, "refused", "Connect Keplr first (see the message above).");
    if (wallet.address !== address)
      return setStatus(
        statusEl,
        "refused",
        `Keplr's account ${wallet.address} is not this node's provider ${address}: nothing was signed. Import the node's key into Keplr, or let the node sign.`,
      );
    setStatus(statusEl, "pending", "Reading the provider's record from the chain…");
    try {
      const built = await build(address);
      if (typeof built === "string") return setStatus(statusEl, "refused", built);
      await runTx(ctx, statusEl, built);
    } catch (e) {
      setStatus(statusEl, "failed", errorMessage(e));
    }
  }

  async function askNode(statusEl: HTMLElement, pendingText: string, act: () => Promise<string>) {
    setStatus(statusEl, "pending", pendingText);
    try {
      setStatus(statusEl, "done", await act());
    } catch (e) {
      setStatus(statusEl, "failed", errorMessage(e));
    }
    refreshChain();
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
          setFieldError("new-price", `The price must be a number of GUT, e.g. 3.6 (${errorMessage(err)}).`);
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
      const plan = withdrawPlan(await activeLeases(ctx, await ctx.chain.leasesOfProvider(address)));
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

  const el = panel(
    "actions-title",
    "Actions",
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

  return {
    el,
    showWallet(address) {
      walletNote.textContent = ctx.wallet
        ? ctx.wallet.address === address
          ? `Keplr holds the node's key (${shortAddress(address)}).`
          : `Keplr's account ${shortAddress(ctx.wallet.address)} is not the node's provider (${shortAddress(address)}): Keplr cannot sign for it.`
        : "Keplr is not connected: it is asked when you sign.";
    },
    showDue(ugut, active) {
      withdrawable.textContent = `${gut(ugut)} due now (${active} Active lease${active === 1 ? "" : "s"})`;
    },
  };
}
