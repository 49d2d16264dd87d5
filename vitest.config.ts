import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'worker/**/*.test.ts', 'test/**/*.test.ts', 'addin/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.wrangler/**'],
    // Builds the Excel task pane when missing or stale (tests of the served pane, the manifest and the Workers assets need it).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
