import { ExitCode } from './errors.js';

/** Ctrl-C, as an `AbortSignal`. */
export interface Interrupt {
  /** Aborts at the first SIGINT; its `reason` is an {@link Interrupted}. */
  readonly signal: AbortSignal;
  /** Stops listening for SIGINT. */
  dispose(): void;
}

/** The reason {@link Interrupt.signal} aborts with. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted (SIGINT)');
    this.name = 'Interrupted';
  }
}

/**
 * Listens for SIGINT: the first aborts the signal (the command cancels its call, closes the server
 * and exits 130); a second one exits 130 at once, for a server that will not let go.
 */
export const listenForInterrupt = (): Interrupt => {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
    controller.abort(new Interrupted());
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
    },
  };
};

/**
 * `promise`, or a rejection with the signal's reason as soon as it aborts.
 *
 * @param promise What to wait for.
 * @param signal What cuts the wait short.
 */
export const unlessAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(reasonOf(signal));
      return;
    }
    const onAbort = (): void => {
      reject(reasonOf(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/** The signal's reason as an `Error` (ours is an {@link Interrupted}). */
const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Interrupted();

/**
 * Resolves after `ms`, or as soon as the signal aborts.
 *
 * @param ms How long to wait.
 * @param signal What cuts the wait short.
 */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
