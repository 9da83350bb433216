import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // The browser test builds the page with Vite and starts Chromium on a small shared machine.
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
