// The provider's dashboard ("My node") end to end, against the real chain, Kubo and the
// `gpu-node serve` of e2e/run (provider2, mining paused by e2e/run through the node's
// API): the node not answering, the status from its API beside the market's, mining
// resumed and paused (the hash counter rises, then stops), actions refused without the
// token and chain actions refused while Keplr holds another account, a lease the test
// opens with the customer's CLI shown running, withdrawn from with Keplr holding the
// node's key and through the node, leaving refused while it is open, its job ended with
// its log, and the price changed both ways and read back from the market.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addFolder } from "../src/ipfs";
import { launch, shot as saveShot, submitAndWait, URL, VIEWPORTS } from "./browser";
import { installTestKeplr, type TestKeplr } from "./keplr";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (e2e/run sets it)`);
  return v;
};
const NODE_API = env("GPUNION_E2E_NODE_API");
const TOKEN = env("GPUNION_E2E_NODE_TOKEN");
const PROVIDER = env("GPUNION_E2E_PROVIDER");
const PROVIDER_MNEMONIC = env("GPUNION_E2E_PROVIDER_MNEMONIC");
const CUSTOMER_MNEMONIC = env("GPUNION_E2E_CUSTOMER_MNEMONIC");
const DEPLOYMENT = JSON.parse(readFileSync(env("GPUNION_DEPLOYMENT"), "utf8")) as { rpc: string; contracts: { market: { address: string } } };
const SPIN = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "spin");

let browser: Browser;
let context: BrowserContext;
let page: Page;
let keplr: TestKeplr;
let chain: CosmWasmClient;
let leaseId: number;
const violations: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shot = (name: string) => saveShot(page, name, violations);
const text = (selector: string) => page.locator(selector).textContent();
const value = async (selector: string) => BigInt((await page.locator(selector).getAttribute("data-value")) ?? "-1");

/** The node's status, read as any local program reads it (no Origin: no browser). */
async function nodeStatus(): Promise<{ state: string; miner: string; mining: { hashes: string; solutions: number }; earnings: { withdrawn_ugut: string } }> {
  const res = await fetch(`${NODE_API}/api/status`);
  expect(res.status).toBe(200);
  return res.json();
}
const hashes = async () => BigInt((await nodeStatus()).mining.hashes);

async function marketPrice(): Promise<string> {
  const p = await chain.queryContractSmart(DEPLOYMENT.contracts.market.address, { provider: { address: PROVIDER } });
  return p.provider.attributes.price_per_hour;
}

/** Runs the customer's CLI (`gpunion --key customer2 …`); returns its JSON answer. */
async function customerCli(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(env("GPUNION_E2E_CLI"), ["--accounts", env("GPUNION_E2E_ACCOUNTS"), "--key", "customer2", "--json", ...args], {
    timeout: 120_000,
  });
  return JSON.parse(stdout);
}

/**
 * Withdraws with `signer` once the market shows earnings due. The node also withdraws by
 * itself every six heartbeats: when it got in first (nothing was due any more), the test
 * waits for the next heartbeat's earnings and asks once more.
 */
async function withdraw(signer: "keplr" | "node"): Promise<string> {
  await page.locator(`#signer-${signer}`).check();
  for (let attempt = 1; ; attempt++) {
    await expect.poll(() => text("#withdrawable"), { timeout: 60_000 }).toMatch(/^(?!0 GUT)[\d.,]+ GUT due now/);
    const said = (await submitAndWait(page, page.getByRole("button", { name: "Withdraw earnings" }), "#withdraw-tx", ["included", "done", "failed", "refused", "rejected"]))!;
    if (attempt === 2 || !/Nothing was due|nothing to withdraw/i.test(said)) return said;
    console.warn(`the node's own withdrawal got in first (${said}); once more`);
    await expect.poll(() => text("#withdrawable"), { timeout: 30_000 }).toMatch(/^0 GUT due now/);
  }
}

/** Enters the token (or none) in the page and uses it. */
async function useToken(token: string) {
  await page.getByLabel("Dashboard token").fill(token);
  await page.getByRole("button", { name: "Use this node" }).click();
  await expect.poll(() => page.locator("#node-token-error").textContent()).toBe("");
}

beforeAll(async () => {
  browser = await launch();
  chain = await CosmWasmClient.connect(DEPLOYMENT.rpc);
  context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  // Keplr holds the customer's key at first, as a provider's browser may.
  keplr = await installTestKeplr(page, CUSTOMER_MNEMONIC);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  chain?.disconnect();
});

describe("a provider's dashboard", () => {
  it("says in words when the node does not answer", async () => {
    await page.goto(`${URL}/#/node?api=http://127.0.0.1:9`);
    await expect.poll(() => text("#node-problem"), { timeout: 15_000 }).toMatch(/^The node does not answer at http:\/\/127\.0\.0\.1:9\./);
    expect(await page.locator("#node-state").getAttribute("data-state")).toBe("unknown");
    expect(await page.locator('nav a[href="#/node"]').getAttribute("aria-current")).toBe("page");
  });

  it("opens from the link `gpu-node serve` prints: the node's state beside the market's, the token kept out of the address", async () => {
    await page.goto(`${URL}/#/node?api=${NODE_API}`);
    // e2e/run paused the node's mining through its API.
    await expect.poll(() => page.locator("#node-state").getAttribute("data-state"), { timeout: 15_000 }).toBe("paused");
    expect(await text("#node-problem")).toBe("");
    expect(await text("#node-facts")).toContain(PROVIDER);
    expect(await text("#node-facts")).toMatch(/GPU memory[\d,]+ MiB/);
    expect(await text("#jobs-recent")).toMatch(/^(No job has finished since the node started\.|Lease )/);
    await expect.poll(() => text("#market-status"), { timeout: 30_000 }).toMatch(/Status as the market computes it: (Idle|Sharing|Reserved)/);
    expect(await text("#mining-record")).toMatch(/Proven hashrate.*H\/s claimed|Proven hashratenot proven/);
    expect(await text("#chain-view")).toContain("Reputation");
    expect(await text("#chain-view")).toContain("Endorsements");
    expect(await page.getByLabel("Node API address").inputValue()).toBe(NODE_API);
    await useToken(TOKEN);
    expect(page.url()).toBe(`${URL}/#/node?api=${encodeURIComponent(NODE_API)}`);
    expect(await page.evaluate(() => sessionStorage.getItem("gpunion.node.token"))).toBe(TOKEN);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(TOKEN);
    await page.getByLabel("Dashboard token").fill("1234");
    await page.getByRole("button", { name: "Use this node" }).click();
    await expect.poll(() => text("#node-token-error")).toContain("64 hexadecimal characters");
    expect(await page.locator("#node-token").getAttribute("aria-invalid")).toBe("true");
    await useToken(TOKEN);
  });

  it("mines while idle: resumed, the hash counter rises and a solution is minted; paused, it stops within a second", async () => {
    const before = await hashes();
    expect(await submitAndWait(page, page.getByRole("button", { name: "Resume mining" }), "#mining-action", ["done", "failed"])).toMatch(
      /^Done: the node's miner is mining, the node is mining\.$/,
    );
    await expect.poll(hashes, { timeout: 30_000 }).toBeGreaterThan(before);
    await expect.poll(() => page.locator("#node-state").getAttribute("data-state"), { timeout: 10_000 }).toBe("mining");
    await expect.poll(() => value("#node-hashes"), { timeout: 10_000 }).toBeGreaterThan(before);
    // The test chain's difficulty is low: solutions come within seconds, and the chart
    // of GUT mined (from the chain's transaction index) draws them.
    await expect.poll(async () => (await nodeStatus()).mining.solutions, { timeout: 120_000 }).toBeGreaterThan(0);
    await page.locator("#mined-chart svg path.line").waitFor({ timeout: 30_000 });
    // The page shows it at its next poll of the node (every 2 s).
    await expect.poll(() => text("#node-mined"), { timeout: 10_000 }).not.toBe("0 GUT");

    expect(await submitAndWait(page, page.getByRole("button", { name: "Pause mining" }), "#mining-action", ["done", "failed"])).toMatch(
      /^Done: the node's miner is paused, the node is paused\.$/,
    );
    await sleep(1_000);
    const stopped = await hashes();
    await sleep(2_000);
    expect(await hashes()).toBe(stopped);
    await expect.poll(() => page.locator("#node-state").getAttribute("data-state"), { timeout: 5_000 }).toBe("paused");
    expect(await text("#node-state")).toMatch(/^Paused: you paused mining/);

    await page.getByRole("button", { name: "Resume mining" }).click();
    await expect.poll(hashes, { timeout: 30_000 }).toBeGreaterThan(stopped);
    // Paused again: the rest of the tests need the CPU (lavapipe mines on it).
    expect(await submitAndWait(page, page.getByRole("button", { name: "Pause mining" }), "#mining-action", ["done", "failed"])).toMatch(/paused/);
  });

  it("refuses actions without the token or with a wrong one, as the node says (401)", async () => {
    const direct = await fetch(`${NODE_API}/api/mining/resume`, { method: "POST" });
    expect(direct.status).toBe(401);
    const mining = (await nodeStatus()).state;
    try {
      await useToken("");
      expect(await submitAndWait(page, page.getByRole("button", { name: "Resume mining" }), "#mining-action", ["done", "failed"])).toMatch(
        /^The node refused: this needs the dashboard token, and none is set\. Paste the token printed by gpu-node init/,
      );
      await useToken("0".repeat(64));
      expect(await submitAndWait(page, page.getByRole("button", { name: "Pause mining" }), "#mining-action", ["done", "failed"])).toMatch(
        /^The node refused the token: it is not this node's dashboard token/,
      );
      expect((await nodeStatus()).state, "neither request changed the node").toBe(mining);
    } finally {
      // The later tests act with the right token, whatever failed here.
      await useToken(TOKEN);
    }
  });

  it("refuses chain actions in words while Keplr holds another account than the node's", async () => {
    const before = keplr.signatures;
    await page.getByLabel("New price (GUT per GPU-hour)").fill("4.2");
    expect(await submitAndWait(page, page.getByRole("button", { name: "Change price" }), "#price-tx", ["included", "failed", "refused"])).toMatch(
      new RegExp(`^Keplr's account ${keplr.address} is not this node's provider ${PROVIDER}: nothing was signed`),
    );
    expect(await text("#wallet-match")).toContain("is not the node's provider");
    expect(keplr.signatures).toBe(before);
  });

  it("shows a job the customer leased running, and the lease on the market's timeline", async () => {
    const files = readdirSync(SPIN).map((name) => ({ path: name, file: new Blob([readFileSync(join(SPIN, name))]) }));
    const cid = await addFolder(env("IPFS_API"), files);
    const opened = await customerCli("lease", "open", "--provider", PROVIDER, "--duration", "600", "--cid", cid, "--max-price", "1000000000000");
    leaseId = Number(opened.lease_id);
    expect(leaseId).toBeGreaterThan(0);
    const job = page.locator(`#jobs-running details[data-lease="${leaseId}"]`);
    await job.waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator("#node-state").getAttribute("data-state"), { timeout: 10_000 }).toBe("serving");
    await job.locator("summary").click();
    expect(await job.locator("summary").textContent()).toMatch(new RegExp(`^Lease ${leaseId}: job, running, since `));
    expect(await job.textContent()).toContain(cid);
    // The node writes the log when the job ends: until then it says so.
    await expect.poll(() => job.locator("pre").textContent(), { timeout: 10_000 }).toMatch(/no log of lease \d+ on this node \(yet\)/);
    await expect.poll(() => text("#market-status"), { timeout: 30_000 }).toContain("Sharing");
    await page.locator(`#lease-timeline li[data-lease="${leaseId}"][data-state="active"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator("#lease-timeline svg.timeline rect").count()).toBeGreaterThan(0);
    await shot("node-dashboard");
    // A phone's width: one column, nothing wider than the screen.
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it("withdraws with Keplr holding the node's key: the market's earnings, the node's count and the earnings chart rise", async () => {
    await keplr.use(PROVIDER_MNEMONIC);
    await expect.poll(() => text("#wallet-match"), { timeout: 15_000 }).toContain("Keplr holds the node's key");
    // Earnings count up to the node's last heartbeat (every 10 s here).
    await expect.poll(() => text("#withdrawable"), { timeout: 60_000 }).toMatch(/^(?!0 GUT)[\d.,]+ GUT due now \(1 Active lease\)$/);
    const earned = await value("#market-earned");
    const paid = BigInt((await nodeStatus()).earnings.withdrawn_ugut);
    const chart = await page.locator("#earnings-chart svg title").textContent();
    expect(await withdraw("keplr")).toMatch(/^Included in block \d+/);
    await expect.poll(() => value("#market-earned"), { timeout: 30_000 }).toBeGreaterThan(earned);
    // The node reads its leases' payouts on chain: a withdrawal it did not sign counts too.
    await expect.poll(async () => BigInt((await nodeStatus()).earnings.withdrawn_ugut), { timeout: 15_000 }).toBeGreaterThan(paid);
    await expect.poll(() => page.locator("#earnings-chart svg title").textContent(), { timeout: 30_000 }).not.toBe(chart);
    expect(await page.locator("#earnings-chart svg title").textContent()).toMatch(/^Paid to the provider by the market: [\d.,]+ GUT by block \d+$/);
  });

  it("withdraws through the node with the token: the node's withdrawn earnings rise", async () => {
    const before = BigInt((await nodeStatus()).earnings.withdrawn_ugut);
    expect(await withdraw("node")).toMatch(new RegExp(`^Done: the node withdrew [\\d.,]+ GUT from lease ${leaseId}\\.$`));
    await expect.poll(async () => BigInt((await nodeStatus()).earnings.withdrawn_ugut), { timeout: 10_000 }).toBeGreaterThan(before);
    await expect.poll(() => value("#node-withdrawn"), { timeout: 10_000 }).toBeGreaterThan(before);
  });

  it("asks before leaving the market, and shows the chain's refusal while a lease is open", async () => {
    const leave = page.getByRole("button", { name: "Leave the market…" });
    await leave.click();
    expect(await leave.getAttribute("aria-expanded")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("leave-confirm-text");
    const before = keplr.signatures;
    expect(await submitAndWait(page, page.getByRole("button", { name: "Cancel" }), "#leave-tx", ["refused"])).toBe("Not left: nothing was signed.");
    await leave.click();
    const refused = await submitAndWait(page, page.getByRole("button", { name: "Yes, leave the market" }), "#leave-tx");
    expect(refused).toMatch(/^Failed: .*open lease/i);
    expect(refused).not.toMatch(/rpc error|codespace|message index/);
    expect(keplr.signatures).toBe(before);
  });

  it("shows the job ended by its time limit, with its failure and its log", async () => {
    const job = page.locator(`#jobs-recent details[data-lease="${leaseId}"]`);
    await job.waitFor({ timeout: 120_000 });
    expect(await job.getAttribute("data-outcome")).toBe("failed");
    // The same element moved from Running to Recent, still open as it was left.
    expect(await job.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    expect(await job.locator("pre").isVisible()).toBe(true);
    expect(await job.locator("dl").textContent()).toMatch(/Failure.*time/i);
    await expect.poll(() => job.locator("pre").textContent(), { timeout: 10_000 }).toContain("== log.txt ==");
    // The node posts the result and closes the lease.
    await page.locator(`#lease-timeline li[data-lease="${leaseId}"][data-state="closed"]`).waitFor({ timeout: 60_000 });
  });

  it("changes the price with Keplr and through the node: the market has each", async () => {
    const original = await marketPrice();
    await page.locator("#signer-keplr").check();
    await page.getByLabel("New price (GUT per GPU-hour)").fill("abc");
    await page.getByRole("button", { name: "Change price" }).click();
    await expect.poll(() => text("#new-price-error")).toContain("must be a number of GUT");
    await page.getByLabel("New price (GUT per GPU-hour)").fill("4.2");
    expect(await submitAndWait(page, page.getByRole("button", { name: "Change price" }), "#price-tx")).toMatch(/^Included in block \d+/);
    expect(await marketPrice()).toBe("4200000");
    await expect.poll(() => value("#market-price"), { timeout: 15_000 }).toBe(4_200_000n);
    await page.locator("#signer-node").check();
    await page.getByLabel("New price (GUT per GPU-hour)").fill(String(Number(original) / 1e6));
    expect(await submitAndWait(page, page.getByRole("button", { name: "Change price" }), "#price-tx", ["done", "failed"])).toMatch(
      /^Done: the node's transaction [0-9A-Fa-f]{12}… set the price to [\d.,]+ GUT per GPU-hour\.$/,
    );
    expect(await marketPrice()).toBe(original);
    await expect.poll(() => value("#market-price"), { timeout: 15_000 }).toBe(BigInt(original));
  });

  it("has no serious accessibility violations (axe-core, WCAG 2 A/AA)", () => {
    expect(violations).toEqual([]);
  });
});
