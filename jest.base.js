// What every jest project shares (jest.config.js, jest.outage.config.js).
const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  // content-disposition (under @fastify/static, which Swagger UI needs) ships ESM only, and so does the
  // `cookie` that @fastify/cookie loads with import(), which jest runs only once swc made it a require.
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/(content-disposition|@fastify/cookie)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/|@fastify/cookie/|cookie/)'],
  testEnvironment: 'node',
  // Nest's default logger at the test run's level (warn unless LOG_LEVEL says otherwise).
  setupFiles: ['<rootDir>/test/support/setup-log-level.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
