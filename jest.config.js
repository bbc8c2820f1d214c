// Five suites: unit (no I/O, beside the code, also the scripts', the test helpers' and the dashboard front end's), e2e (real app on real PostgreSQL and Redis),
// fuzz (property-based robustness on the real app, injected in process), lint (the lint rules refuse what they must)
// and model quality (trains on the shipped data). `npm test` runs all five; the outage suite
// (jest.outage.config.js, `npm run test:outage`) runs after, alone: it kills PostgreSQL and Redis under load for minutes.
const base = require('./jest.base');

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/test/support/**/*.spec.ts',
        '<rootDir>/dashboards/web/**/*.spec.ts',
      ],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // Runs ESLint on probe sources: the module boundaries and the no-cycle rule must refuse them.
    { ...base, displayName: 'lint', testMatch: ['<rootDir>/test/lint/**/*.lint-spec.ts'] },
    {
      ...base,
      displayName: 'quality',
      testMatch: ['<rootDir>/test/quality/**/*.quality-spec.ts'],
    },
  ],
};
