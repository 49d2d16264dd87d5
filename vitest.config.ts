import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'worker/**/*.test.ts', 'test/**/*.test.ts', 'addin/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.wrangler/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
