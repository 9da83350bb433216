import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Limits that only catch a hang: the suite must pass with the machine busy (two copies of it on two cores).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
