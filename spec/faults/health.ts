/**
 * Process health for the fault-injection tests: unhandled rejections seen by the real process, and
 * ways to let pending callbacks run.
 *
 * Jest gives each test file a copy of `process` whose event listeners the real process never
 * calls, so `process.on('unhandledRejection')` in a test would hear nothing. `vm.runInThisContext`
 * runs in the worker's main context, where `process` is the real one.
 */
import * as vm from 'node:vm';

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

/**
 * Lets every pending promise callback, and then Node's unhandled-rejection check (which runs after
 * the microtask queue drains), run.
 */
export const drain = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
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
 * rejection. Returns the current watch (for tests that inspect it).
 */
export const noUnhandledRejections = (): (() => RejectionWatch) => {
  let watch: RejectionWatch | undefined;
  beforeEach(() => {
    watch = watchUnhandledRejections();
  });
  afterEach(async () => {
    await drain();
    const seen = (watch?.rejections ?? []).filter((r) => !isDeliberate(r));
    watch?.stop();
    expect(seen).toEqual([]);
  });
  return () => watch!;
};
