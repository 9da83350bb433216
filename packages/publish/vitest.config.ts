import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // The tests start a local HTTPS service and go through the Azure SDK: a wide margin for a busy machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
