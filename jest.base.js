// What every jest project shares (jest.config.js, jest.outage.config.js).
const swc = ['@swc/jest', { swcrc: true }];
module.exports = {
  // content-disposition (under @fastify/static, which Swagger UI needs) ships ESM only.
  transform: { '^.+\\.ts$': swc, '^.+/node_modules/content-disposition/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
