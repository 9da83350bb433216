import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // Installing fresh apps with npm, building with Vite and driving Chromium on a small shared machine.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
