/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // agenda 6, its Mongo backend and agendash ship only ES modules; they become CommonJS for jest.
    '^.+\\.(t|j|mj)s$': '<rootDir>/test/support/commonjs-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(agenda|agendash|@agendajs)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
