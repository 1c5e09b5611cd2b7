import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start real processes (SoftHSM2, servers); keep them
    // from starving each other on a 2-core machine.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
