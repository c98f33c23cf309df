// What every end-to-end test file does with the browser: Debian's Chromium started by
// playwright-core, screenshots at desktop and phone width with an accessibility audit
// (axe-core, WCAG 2 A/AA, serious and critical violations recorded), and waiting for a
// status line to reach a final state.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const URL = process.env.GPUNION_WEB_URL ?? "http://127.0.0.1:4273";
const SHOTS = join(process.env.GPUNION_ARTIFACTS ?? "test-results", "screenshots");
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const AXE = createRequire(import.meta.url).resolve("axe-core");

export async function launch(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

/** A screenshot's path in the artifacts folder. */
export const shotPath = (file: string) => join(SHOTS, file);

/** Runs axe-core on the page as it is; returns its serious and critical violations, named. */
export async function audit(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
    const r = await axe.run({ runOnly: ["wcag2a", "wcag2aa"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
  });
  return found.map((v) => `${name}: ${v}`);
}

/**
 * Audits the page into `violations`, then saves `<name>-desktop.png` and
 * `<name>-phone.png` (full page); the page is left at desktop width.
 */
export async function shot(page: Page, name: string, violations: string[]) {
  violations.push(...(await audit(page, name)));
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: shotPath(`${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** Waits for the status line `selector` to reach one of `states` (its data-state); returns its text. */
export async function waitState(page: Page, selector: string, states = ["included", "failed", "rejected"], timeout = 60_000) {
  await page.waitForFunction(
    ([sel, ok]) => (ok as string[]).includes(document.querySelector(sel as string)?.getAttribute("data-state") ?? ""),
    [selector, states] as const,
    { timeout },
  );
  return page.locator(selector).textContent();
}

/** Clicks `button` and waits for the status line `selector` to reach a final state. */
export async function submitAndWait(page: Page, button: Locator, selector: string, states?: string[]) {
  await page.locator(selector).evaluate((el) => el.removeAttribute("data-state"));
  await button.click();
  return waitState(page, selector, states);
}
