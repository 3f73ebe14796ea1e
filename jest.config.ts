import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // Sources import siblings as './x.js' so that the ES module build runs on Node; map back to .ts.
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // docs/examples import the package by name, as users do.
    '^rx-mcp-progress$': '<rootDir>/src/index.ts',
    '^rx-mcp-progress/sdk$': '<rootDir>/src/sdk/index.ts',
  },
  testTimeout: 20_000,
};

export default config;
