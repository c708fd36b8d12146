import { defineConfig } from 'vitest/config';

// Under CI the JSON reporter also writes the counts that .ci/run prints as `N passed, N failed`.
const ci = process.env.CI === 'true' || process.env.CI === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ci ? ['default', 'json'] : ['default'],
    outputFile: ci ? { json: '.ci/vitest-results.json' } : undefined,
  },
});
