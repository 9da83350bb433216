import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // Limits that only catch a hang: the suite must pass with the machine busy (two copies of it on two cores).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
