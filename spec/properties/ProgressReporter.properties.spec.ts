/**
 * Properties of `ProgressReporter` over generated inputs (valid, final, hostile), timings,
 * configurations and transports: a `send` that returns nothing, one that returns a promise the test
 * settles by hand (resolving or rejecting it at generated moments), one that returns an already
 * settled promise, and one that throws on its n-th call. Virtual time for the bucket; real microtasks
 * for the promises. (The operator form is `spec/reporter/toProgressNotifications.properties.spec.ts`.)
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ProgressError,
  ProgressFailure,
  ProgressNotification,
  ProgressReporter,
  type ProgressErrorResult,
  type ProgressInput,
} from '../../src/index.js';
import { truncateMessage } from '../../src/wire/truncateMessage.js';
import { deferred, ManualClock, outcomeOf, type Deferred } from '../reporter/support.js';
import { hostileValue } from './arbitraries.js';
import { MAX_DIAGNOSTIC_LENGTH, Tally } from './model.js';

type Step =
  | {
      readonly kind: 'up';
      readonly by: number;
      readonly total: boolean;
      readonly message?: string;
    }
  | { readonly kind: 'final' }
  | { readonly kind: 'bad'; readonly input: unknown }
  | { readonly kind: 'resolve' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'error' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record(
      {
        kind: fc.constant('up' as const),
        by: fc.oneof(fc.constant(1), fc.double({ min: 0.001, max: 3, noNaN: true })),
        total: fc.boolean(),
        message: fc.oneof(fc.string({ maxLength: 8 }), fc.constant('long message '.repeat(4))),
      },
      { requiredKeys: ['kind', 'by', 'total'] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'final' as const }) },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        hostileValue,
        fc.constantFrom<unknown>(
          { progress: NaN },
          { progress: -1 },
          { progress: Infinity },
          { progress: 0 },
          { progress: 1, total: 0 },
          { progress: 1, total: -1 },
          { progress: 1, total: Infinity },
          { progress: 1, message: 5 },
          { progress: '1' },
          JSON.parse('{"__proto__":{"progress":1}}'),
        ),
      )
      .map((input) => ({ kind: 'bad' as const, input })),
  },
  { weight: 6, arbitrary: fc.constant({ kind: 'resolve' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reject' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'complete' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'error' as const }) },
);

const scenario = fc.record({
  burst: fc.integer({ min: 1, max: 4 }),
  maxUpdatesPerSecond: fc.constantFrom(Infinity, 50, 100, 250, 1000 / 3),
  maxMessageLength: fc.constantFrom(1024, 6),
  transport: fc.oneof(
    { weight: 2, arbitrary: fc.constant('manual' as const) },
    { weight: 1, arbitrary: fc.constantFrom('sync' as const, 'resolved' as const) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ throwOnCall: n })) },
  ),
  steps: fc.array(fc.tuple(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })), step), {
    maxLength: 50,
    size: 'max',
  }),
});

/** Lets promise callbacks run (no virtual time passes). */
const microtasks = async (): Promise<void> => {
  for (let i = 0; i < 6; i++) await Promise.resolve();
};

/** What the documentation says a valid input is. */
const validInput = (input: unknown): input is ProgressInput => {
  if (typeof input !== 'object' || input === null) return false;
  const { progress, total, message } = input as Record<string, unknown>;
  return (
    typeof progress === 'number' &&
    Number.isFinite(progress) &&
    progress >= 0 &&
    (total === undefined || (typeof total === 'number' && Number.isFinite(total) && total > 0)) &&
    (message === undefined || typeof message === 'string')
  );
};

interface Sent {
  readonly seq: number;
  readonly at: number;
  readonly n: ProgressNotification;
  readonly newest: number;
}

describe('ProgressReporter (properties)', () => {
  it('sends increasing, rate-bounded notifications, one at a time, the newest input each time, the final one last, nothing after close', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        async ({ burst, maxUpdatesPerSecond, maxMessageLength, transport, steps }) => {
          const clock = new ManualClock();
          const interval = maxUpdatesPerSecond === Infinity ? 0 : 1000 / maxUpdatesPerSecond;
          let seq = 0;
          const sent: Sent[] = [];
          let inFlight: Deferred | undefined;
          let calls = 0;
          // The oracle. The newest accepted input (each accepted one is above the one before):
          let newest = -1;
          const inputs = new Map<number, ProgressInput>();
          let closed: { seq: number; why: 'completed' | 'errored' } | undefined;
          let failedAt: number | undefined;
          const expected = new Tally();

          const reporter = new ProgressReporter(
            'job',
            (n) => {
              calls++;
              // At most one send in flight; every send carries the newest accepted input.
              assert.equal(inFlight, undefined, 'a send while another is in flight');
              sent.push({ seq: ++seq, at: clock.now(), n, newest });
              if (transport === 'sync') return;
              if (transport === 'resolved') return Promise.resolve();
              if (transport === 'manual') {
                inFlight = deferred();
                return inFlight.promise;
              }
              if (calls === transport.throwOnCall) {
                failedAt ??= seq;
                expected.add(ProgressError.STATE_ERROR, 'job');
                throw new Error('send threw');
              }
              return undefined;
            },
            { burst, maxUpdatesPerSecond, scheduler: clock, maxMessageLength },
          );
          const diagnostics: ProgressErrorResult[] = [];
          reporter.errors$.subscribe((d) => diagnostics.push(d));
          const outcome = outcomeOf(reporter.done);

          const isClosed = (): boolean => closed !== undefined || failedAt !== undefined;
          const feed = (input: unknown): void => {
            if (isClosed()) {
              expected.add(ProgressError.STATE_ERROR, 'job');
            } else if (!validInput(input) || input.progress <= newest) {
              expected.add(ProgressError.INVALID_PROGRESS, 'job');
            } else {
              newest = input.progress;
              inputs.set(input.progress, input);
              if (input.total !== undefined && input.progress >= input.total) {
                closed = { seq: ++seq, why: 'completed' };
              }
            }
            // next() never throws, whatever it is given.
            reporter.next(input as ProgressInput);
          };
          const settle = async (how: 'resolve' | 'reject'): Promise<void> => {
            const flight = inFlight;
            if (flight === undefined) return;
            inFlight = undefined;
            if (how === 'resolve') {
              flight.resolve();
            } else {
              failedAt ??= ++seq;
              expected.add(ProgressError.STATE_ERROR, 'job');
              flight.reject(new Error('send rejected'));
            }
            await microtasks();
          };
          const checkDone = (): void => {
            // done settles only once closed and no send is in flight.
            if (outcome.value !== 'pending') {
              assert.ok(isClosed(), 'done settled while open');
              assert.equal(inFlight, undefined, 'done settled with a send in flight');
            }
          };

          let progress = 0;
          for (const [gap, s] of steps) {
            clock.advanceTo(clock.now() + gap);
            switch (s.kind) {
              case 'up': {
                progress += s.by;
                feed({
                  progress,
                  ...(s.total ? { total: 1_000_000 } : {}),
                  ...(s.message === undefined ? {} : { message: s.message }),
                });
                break;
              }
              case 'final':
                progress += 1;
                feed({ progress, total: progress, message: 'done' });
                break;
              case 'bad':
                feed(s.input);
                break;
              case 'resolve':
              case 'reject':
                await settle(s.kind);
                break;
              case 'complete':
                if (!isClosed()) closed = { seq: ++seq, why: 'completed' };
                reporter.complete();
                break;
              case 'error':
                if (!isClosed()) closed = { seq: ++seq, why: 'errored' };
                reporter.error(new Error('operation failed'));
                break;
            }
            await microtasks();
            checkDone();
          }
          // Close (if still open), let the transport and the bucket finish, and wait for the windows.
          if (!isClosed()) closed = { seq: ++seq, why: 'completed' };
          reporter.complete();
          for (let i = 0; i < 100 && (inFlight !== undefined || outcome.value === 'pending'); i++) {
            await settle('resolve');
            clock.advanceTo(clock.now() + Math.max(interval, 1));
            await microtasks();
            checkDone();
          }
          clock.advanceTo(clock.now() + 10_000);
          await microtasks();

          // Valid, strictly increasing, each one the newest accepted input when it was sent.
          for (const [i, s] of sent.entries()) {
            assert.equal(ProgressNotification.is(s.n), true);
            assert.equal(s.n.params.progressToken, 'job');
            if (i > 0) assert.ok(s.n.params.progress > sent[i - 1].n.params.progress, 'increasing');
            assert.equal(
              s.n.params.progress,
              s.newest,
              'not the newest input: more than one was pending',
            );
            const input = inputs.get(s.n.params.progress)!;
            assert.equal(s.n.params.total, input.total);
            assert.equal(
              s.n.params.message,
              input.message === undefined
                ? undefined
                : truncateMessage(input.message, maxMessageLength),
            );
          }
          // Within the bucket, plus the one final or flushed notification.
          if (interval > 0) {
            for (let i = 0; i < sent.length; i++) {
              for (let j = i; j < sent.length; j++) {
                const allowed = burst + (sent[j].at - sent[i].at) / interval + 1;
                assert.ok(
                  j - i + 1 <= allowed + 1e-9,
                  `${String(j - i + 1)} sends > ${String(allowed)}`,
                );
              }
            }
          }
          // Nothing after close but the one flushed input; nothing at all after error() or a failure.
          const end = Math.min(closed?.seq ?? Infinity, failedAt ?? Infinity);
          const after = sent.filter((s) => s.seq > end);
          if (failedAt !== undefined && failedAt <= (closed?.seq ?? Infinity)) {
            assert.equal(after.length, 0, 'sent after a failed send');
          } else if (closed?.why === 'errored') {
            assert.equal(after.length, 0, 'sent after error()');
          } else {
            assert.ok(after.length <= 1, 'more than one send after close');
          }
          // The final one is sent exactly once, and last, unless the transport failed first.
          if (failedAt === undefined && closed?.why === 'completed' && newest >= 0) {
            assert.equal(sent.at(-1)?.n.params.progress, newest);
            assert.equal(sent.filter((s) => s.n.params.progress === newest).length, 1);
          }
          // done: resolves, or rejects with a STATE_ERROR failure when a send failed.
          if (failedAt !== undefined) {
            const done = outcome.value;
            assert.ok(typeof done === 'object');
            const failure = done.rejected as ProgressFailure;
            assert.ok(failure instanceof ProgressFailure);
            assert.equal(failure.error, ProgressError.STATE_ERROR);
          } else {
            assert.equal(outcome.value, 'resolved');
          }
          // errors$: every rejected input counted once (after close: STATE_ERROR), and the failure.
          assert.deepEqual(Tally.of(diagnostics).toJSON(), expected.toJSON());
          for (const d of diagnostics) {
            assert.ok(
              d.message.length <= MAX_DIAGNOSTIC_LENGTH,
              `${String(d.message.length)} characters`,
            );
          }
          // No timer left behind.
          assert.equal(clock.pendingActions, 0);
          assert.equal(reporter.closed, true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
