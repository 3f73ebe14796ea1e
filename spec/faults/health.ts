/**
 * Process health for the fault-injection tests: unhandled rejections seen by the real process, and
 * a wait in real time (`settleTurns`, in spec/reporter/support.ts, lets pending callbacks run).
 *
 * Jest gives each test file a copy of `process` whose event listeners the real process never
 * calls, so `process.on('unhandledRejection')` in a test would hear nothing. `vm.runInThisContext`
 * runs in the worker's main context, where `process` is the real one.
 */
import * as vm from 'node:vm';
import { settleTurns } from '../reporter/support.js';

/** The worker's real `process` (not jest's sandbox copy). */
export const realProcess = vm.runInThisContext('process') as NodeJS.Process;

/** Collects every unhandled rejection the real process reports until `stop()`. */
export interface RejectionWatch {
  readonly rejections: readonly unknown[];
  stop(): void;
}

export const watchUnhandledRejections = (): RejectionWatch => {
  const rejections: unknown[] = [];
  const listener = (reason: unknown): void => {
    rejections.push(reason);
  };
  realProcess.on('unhandledRejection', listener);
  return {
    rejections,
    stop: () => {
      realProcess.off('unhandledRejection', listener);
    },
  };
};

/** Waits `ms` milliseconds of real time. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

const DELIBERATE = Symbol('deliberate');

/** A rejection reason the health check ignores: for the test that checks the check. */
export const deliberate = (message: string): Error =>
  Object.assign(new Error(message), { [DELIBERATE]: true });

const isDeliberate = (reason: unknown): boolean =>
  typeof reason === 'object' && reason !== null && DELIBERATE in reason;

/**
 * Installs the watch around every test of the file: each test must end with no unhandled
 * rejection.
 */
export const noUnhandledRejections = (): void => {
  let watch: RejectionWatch | undefined;
  beforeEach(() => {
    watch = watchUnhandledRejections();
  });
  afterEach(async () => {
    await settleTurns();
    const seen = (watch?.rejections ?? []).filter((r) => !isDeliberate(r));
    watch?.stop();
    expect(seen).toEqual([]);
  });
};
