import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    reporters: ['default', './tests/setup/summary-reporter.ts'],
    // Real Postgres and Redis are shared by every file: two workers keep a
    // 2-core CI machine responsive, and each file gets its own database.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests must not depend on the developer's .env or shell.
    env: { TZ: 'UTC' },
  },
});
