import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: '../../scripts/test-temp-root.mjs',
    // Every test runs whole commands (reading, fitting on worker threads, writing) or spawns the CLI; on a busy
    // two-core machine one can take many times its usual second. The limit only catches a hang.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
