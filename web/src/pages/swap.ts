// Token swap: an old-chain holder claims its snapshot balance as GUT with the proof file
// from the snapshot and a signature by its old wallet over the claim message.
import type { ClaimResponse, StatsResponse } from "../contracts/token-swap";
import { gut } from "../format";
import { errorBox, field, h, runTx, setFieldError, txStatus, type Ctx, type Page } from "../ui";

export interface ProofFile {
  old_address: string;
  amount: string;
  proof: string[];
}

/** Reads a snapshot proof file (`proofs/<old address>.json`), refusing anything else. */
export function parseProofFile(text: string): ProofFile {
  let v: Partial<ProofFile>;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error("The proof file is not JSON.");
  }
  if (typeof v.old_address !== "string" || !/^\d+$/.test(String(v.amount)) || !Array.isArray(v.proof))
    throw new Error("The proof file needs old_address, amount and proof.");
  if (!v.proof.every((p) => typeof p === "string" && /^[0-9a-fA-F]{64}$/.test(p)))
    throw new Error("Every proof hash must be 32 bytes of hex.");
  return { old_address: v.old_address, amount: String(v.amount), proof: v.proof };
}

/** The text the old wallet signs (`gpunion_interface::token_swap::claim_message`). */
export const claimMessage = (chainId: string, swap: string, recipient: string) =>
  `GPUnion swap claim\nchain: ${chainId}\nswap: ${swap}\nrecipient: ${recipient}`;

export function swapPage(ctx: Ctx): Page {
  const stats = h("div", {});
  const proofText = h("textarea", { rows: 4, placeholder: '{"old_address": "P…", "amount": "…", "proof": ["…"]}' });
  const proofFile = h("input", { type: "file", accept: "application/json,.json" });
  proofFile.addEventListener("change", async () => {
    const f = proofFile.files?.[0];
    if (f) proofText.value = await f.text();
  });
  const recipient = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const signature = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const message = h("pre", { class: "message", id: "claim-message" });
  const status = txStatus("swap-tx");
  const showMessage = () => {
    const swap = ctx.config.contracts.tokenSwap ?? "";
    message.textContent = claimMessage(ctx.config.chainId, swap, recipient.value.trim() || "<recipient>");
  };
  recipient.addEventListener("input", showMessage);

  const el = h(
    "section",
    { "aria-labelledby": "swap-title" },
    h("h2", { id: "swap-title" }, "Token swap"),
    stats,
    h(
      "form",
      {
        class: "stack",
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          for (const id of ["proof", "recipient", "signature"]) setFieldError(id, "");
          let proof: ProofFile;
          try {
            proof = parseProofFile(proofText.value);
          } catch (err) {
            setFieldError("proof", (err as Error).message);
            return;
          }
          if (!/^wasm1[02-9ac-hj-np-z]{38,58}$/.test(recipient.value.trim()))
            return setFieldError("recipient", "The recipient must be a wasm1… address.");
          if (!/^[A-Za-z0-9+/]{86,88}={0,2}$/.test(signature.value.trim()))
            return setFieldError("signature", "The signature is the base64 text your old wallet's signmessage printed (65 bytes).");
          await runTx(ctx, status, [
            {
              contractAddress: ctx.config.contracts.tokenSwap!,
              msg: { claim: { ...proof, signature: signature.value.trim(), recipient: recipient.value.trim() } },
            },
          ]);
        },
      },
      field("proof-file", "Proof file from the snapshot", proofFile),
      field("proof", "…or its contents", proofText),
      field("recipient", "Recipient (your new address)", recipient),
      h("p", {}, "Sign this message with your old wallet (signmessage):"),
      message,
      field("signature", "Signature (base64)", signature),
      h("button", { type: "submit" }, "Claim"),
      status,
    ),
  );

  async function refresh() {
    if (!ctx.config.contracts.tokenSwap) {
      el.replaceChildren(h("h2", { id: "swap-title" }, "Token swap"), h("p", {}, "No token swap is deployed on this chain."));
      return;
    }
    if (!recipient.value && ctx.wallet) recipient.value = ctx.wallet.address;
    showMessage();
    try {
      const s = await ctx.chain.swap<StatsResponse>({ stats: {} });
      stats.replaceChildren(h("p", {}, `${s.claims} claims paid, ${gut(s.claimed)} claimed, ${gut(s.unclaimed)} unclaimed.`));
      const old = (() => {
        try {
          return parseProofFile(proofText.value).old_address;
        } catch {
          return undefined;
        }
      })();
      if (old) {
        const c = await ctx.chain.swap<ClaimResponse>({ claim: { old_address: old } });
        if (c.claim) stats.append(h("p", { role: "status" }, `${old} has claimed already.`));
      }
    } catch (e) {
      stats.replaceChildren(errorBox(e));
    }
  }
  return { el, refresh };
}
