import { ExitCode } from './errors.js';

/** The signals that stop a run: Ctrl-C, `kill`/`timeout`/`docker stop`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The exit status for each stop signal: 128 + its number. */
const EXIT_CODES: Readonly<Record<StopSignal, ExitCode>> = {
  SIGINT: ExitCode.Interrupted,
  SIGTERM: ExitCode.Terminated,
  SIGHUP: ExitCode.Hangup,
};

/** Ctrl-C, SIGTERM or SIGHUP, as an `AbortSignal`. */
export interface Interrupt {
  /** Aborts at the first stop signal; its `reason` is an {@link Interrupted}. */
  readonly signal: AbortSignal;
  /** Stops listening for the stop signals. */
  dispose(): void;
}

/** The reason {@link Interrupt.signal} aborts with. */
export class Interrupted extends Error {
  /** @param by The signal received. If not provided, defaults to `SIGINT`. */
  constructor(readonly by: StopSignal = 'SIGINT') {
    super(`interrupted (${by})`);
    this.name = 'Interrupted';
  }

  /** The exit status: 128 + the signal's number (130 for SIGINT, 143 SIGTERM, 129 SIGHUP). */
  get exitCode(): ExitCode {
    return EXIT_CODES[this.by];
  }
}

/**
 * Listens for SIGINT, SIGTERM and SIGHUP, which all end a run the same way: the first aborts the
 * signal (the command cancels its call, closes the server and exits 128 + the signal's number);
 * a later SIGINT or SIGTERM exits at once, for a server that will not let go (the transport's exit
 * handler still kills the server's process group). A later SIGHUP is ignored: a closing terminal
 * can deliver it more than once (to the session, then from the shell to its jobs), and that is no
 * one insisting.
 *
 * Without these handlers, SIGTERM and SIGHUP would kill us outright, and the server, in a process
 * group of its own, would be left running.
 */
export const listenForInterrupt = (): Interrupt => {
  const controller = new AbortController();
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      if (!controller.signal.aborted) controller.abort(new Interrupted(name));
      else if (name !== 'SIGHUP') process.exit(EXIT_CODES[name]);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
};

/**
 * Why the signal aborted: its reason, an {@link Interrupted} (a SIGINT if it is something else).
 *
 * @param signal An aborted signal (from {@link listenForInterrupt}).
 */
export const interruptionOf = (signal: AbortSignal): Interrupted =>
  signal.reason instanceof Interrupted ? signal.reason : new Interrupted();

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
