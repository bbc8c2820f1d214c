// The outage suite (issue #18): private PostgreSQL and Redis killed and restarted under a steady
// prediction load, minutes long, so it runs alone, after `jest` (npm test), as its own CI step.
const base = require('./jest.base');

module.exports = {
  ...base,
  displayName: 'outage',
  testMatch: ['<rootDir>/test/outage/**/*.outage-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 600000,
};
