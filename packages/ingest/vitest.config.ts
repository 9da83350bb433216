import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // Tests wait on results, not clocks: the limit only catches a hang. On a busy two-core machine (CI, or two
    // copies of the suite at once) a test that takes a second alone can take many times that.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
