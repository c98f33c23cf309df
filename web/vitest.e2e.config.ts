// The end-to-end tests: Playwright (playwright-core, Debian's Chromium) against a running
// app, chain, Kubo and provider node; e2e/run starts them and sets GPUNION_WEB_URL.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
