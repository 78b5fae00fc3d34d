/**
 * One jest config for the whole repo. Tiers by suffix: *.test.ts (no I/O), *.int.test.ts (Postgres/Redis),
 * *.ui.test.ts (Postgres/Redis + Chromium), *.e2e.test.ts (Docker/Kafka).
 */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // A few ESM-only dependencies (of @fastify/static, @platformatic/kafka) must be compiled to CommonJS for jest.
    '^.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|@platformatic|long)/)'],
  testMatch: ['<rootDir>/{apps,packages}/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
