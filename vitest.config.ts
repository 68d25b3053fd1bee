import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/offline.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // In CI, also a machine-readable report, from which .ci/run prints a plain closing line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/last-run.json" }]] : ["default"],
  },
});
