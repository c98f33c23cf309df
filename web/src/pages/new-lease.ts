// A new lease: a job bundle or image folder picked from disk and added to IPFS through
// the local Kubo, a provider, a start (now or a reservation) and a duration; the deposit
// is shown before signing, then the GUT `send` with the market's hook is signed.
import type { ProviderResponse } from "../contracts/market";
import { errorMessage } from "../errors";
import { gut, shortAddress } from "../format";
import { addFolder, pickedFolder } from "../ipfs";
import { FormError, openLeaseSend, planLease, type LeaseForm } from "../lease";
import { errorBox, field, h, runTx, setFieldError, txStatus, type Ctx, type Page } from "../ui";

export function newLeasePage(ctx: Ctx, preselected?: string): Page {
  let providers: ProviderResponse[] = [];
  let maxLeaseSeconds = 3600;
  let now = Math.floor(Date.now() / 1000);
  /** Why the picked folder could not be added, kept across redraws of the form's state. */
  let bundleError = "";
  const form: LeaseForm = { provider: preselected ?? "", cid: "", kind: "wgsl_bundle", duration: "5", start: "now" };

  const folder = h("input", { type: "file", webkitdirectory: true, multiple: true });
  const cidOut = h("output", { id: "bundle-cid", class: "mono", for: "bundle" }, "no bundle yet");
  const kind = h(
    "select",
    { onchange: () => ((form.kind = kind.value as LeaseForm["kind"]), update()) },
    h("option", { value: "wgsl_bundle" }, "WGSL job bundle"),
    h("option", { value: "oci_image" }, "Container image (OCI layout)"),
  );
  folder.addEventListener("change", async () => {
    const files = pickedFolder(folder.files ?? []);
    form.cid = "";
    bundleError = "";
    cidOut.textContent = `adding ${files.length} files to IPFS…`;
    try {
      // An OCI image layout has oci-layout and index.json at its root.
      if (files.some((f) => f.path === "oci-layout")) kind.value = form.kind = "oci_image";
      else kind.value = form.kind = "wgsl_bundle";
      form.cid = await addFolder(ctx.config.ipfsApi, files);
      cidOut.textContent = form.cid;
    } catch (e) {
      cidOut.textContent = "not added";
      bundleError = errorMessage(e);
    }
    update();
  });

  const provider = h("select", { onchange: () => ((form.provider = provider.value), update()) });
  const startNow = h("input", { type: "radio", name: "start", value: "now", checked: true, id: "start-now" });
  const startLater = h("input", { type: "radio", name: "start", value: "later", id: "start-later" });
  const startAt = h("input", { type: "datetime-local", disabled: true });
  const onStart = () => {
    startAt.disabled = !startLater.checked;
    form.start = startLater.checked ? startAt.value || "invalid" : "now";
    update();
  };
  for (const el of [startNow, startLater, startAt]) el.addEventListener("change", onStart);
  startAt.addEventListener("input", onStart);
  const duration = h("input", { type: "text", inputmode: "decimal", value: form.duration, autocomplete: "off" });
  duration.addEventListener("input", () => ((form.duration = duration.value), update()));

  const deposit = h("p", { class: "deposit", id: "deposit", role: "status", "aria-live": "polite" });
  const status = txStatus("lease-tx");
  const submit = h("button", { type: "submit" }, "Sign and open lease");

  const price = () => BigInt(providers.find((p) => p.provider.address === form.provider)?.provider.attributes.price_per_hour ?? "0");

  /** Shows the deposit, or the first thing wrong with the form; returns the plan if any. */
  function update(showErrors = false) {
    for (const id of ["provider", "bundle", "duration", "start"]) setFieldError(id, "");
    if (bundleError) setFieldError("bundle", bundleError);
    try {
      const plan = planLease(form, price(), maxLeaseSeconds, now);
      deposit.textContent = `Deposit: ${gut(plan.deposit)} (${gut(price())}/h × ${plan.durationSeconds} s), held in escrow; what is not earned comes back.`;
      return plan;
    } catch (e) {
      if (!(e instanceof FormError)) throw e;
      deposit.textContent = "Deposit: fill in the form to see it.";
      if (showErrors) {
        const id = { cid: "bundle", provider: "provider", duration: "duration", start: "start", kind: "bundle" }[e.field];
        setFieldError(id, e.message);
        document.getElementById(id)?.focus();
      }
      return undefined;
    }
  }

  const el = h(
    "section",
    { "aria-labelledby": "new-lease-title" },
    h("h2", { id: "new-lease-title" }, "New lease"),
    h(
      "form",
      {
        class: "stack",
        novalidate: true,
        onsubmit: async (e: Event) => {
          e.preventDefault();
          now = await ctx.chain.blockTime().catch(() => now);
          const plan = update(true);
          if (!plan) return;
          submit.disabled = true;
          const s = await runTx(ctx, status, [
            { contractAddress: ctx.config.contracts.gut, msg: openLeaseSend(ctx.config.contracts.market, plan, price()) },
          ]);
          submit.disabled = false;
          if (s?.kind === "included") {
            status.append(" ", h("a", { href: "#/leases" }, "See it in My leases"));
          }
        },
      },
      field("bundle", "Job bundle or image folder", folder, "A folder: a WGSL bundle (job.json and its files) or an OCI image layout. It is added to IPFS through your local Kubo."),
      h("p", {}, "CID: ", cidOut),
      field("kind", "Workload kind", kind),
      field("provider", "Provider", provider),
      h(
        "fieldset",
        { id: "start", "aria-describedby": "start-error", tabindex: "-1" },
        h("legend", {}, "Start"),
        h("label", { for: "start-now" }, startNow, " Now"),
        h("label", { for: "start-later" }, startLater, " Later (reservation)"),
        h("label", {}, "At ", startAt),
        h("p", { class: "field-error", id: "start-error", role: "alert" }),
      ),
      field("duration", "Duration (minutes)", duration),
      deposit,
      submit,
      status,
    ),
  );

  async function refresh() {
    try {
      const [list, config, t] = await Promise.all([ctx.chain.providers(), ctx.chain.marketConfig(), ctx.chain.blockTime()]);
      providers = list;
      maxLeaseSeconds = config.params.max_lease_seconds;
      now = t;
      const selected = form.provider;
      provider.replaceChildren(
        h("option", { value: "" }, "Choose a provider"),
        ...providers.map((p) =>
          h(
            "option",
            { value: p.provider.address, selected: p.provider.address === selected, disabled: p.status === "disconnect" },
            `${p.provider.attributes.gpu_model} — ${gut(p.provider.attributes.price_per_hour)}/h — ${p.status} — ${shortAddress(p.provider.address)}`,
          ),
        ),
      );
      update();
    } catch (e) {
      el.append(errorBox(e));
    }
  }
  return { el, refresh };
}
