import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // The browser tests start Chromium and parse ~5 MB of plotly.js on a small shared machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
