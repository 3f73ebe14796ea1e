/**
 * `maxMessageLength` on both sides, for any message and any limit: what is passed on or sent is at
 * most the limit, unchanged when it fits, otherwise a prefix ending in `…` that never splits a
 * surrogate pair; the update itself is never dropped for its message.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { from, Subject, toArray } from 'rxjs';
import {
  progressNotifications,
  ProgressManager,
  ProgressReporter,
  toProgressNotifications,
  trackProgress,
  type ProgressNotification,
  type ProgressUpdate,
} from '../../src/index.js';
import { huge, notification } from './arbitraries.js';

const DEFAULT = 1024;

const message: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.string({ maxLength: 12 }).map((s) => `${s}😀😀😀😀`),
  fc.constantFrom(
    '',
    '\ud83d',
    'a\ud83d',
    '\ude00',
    huge(1023),
    huge(1024),
    huge(1025),
    `${huge(1022)}😀`,
    `${huge(1023)}😀`,
    huge(1_000_000),
  ),
);
const limit = fc.oneof(
  fc.constantFrom<number | undefined>(undefined, 1, 2, 3, Infinity),
  fc.integer({ min: 1, max: 50 }),
);

/** Checks that `out` is `input` cut as documented. */
const checkCut = (input: string, out: string | undefined, max: number | undefined): void => {
  const m = max ?? DEFAULT;
  assert.equal(typeof out, 'string');
  const text = out!;
  if (input.length <= m) {
    assert.equal(text, input);
    return;
  }
  assert.ok(text.length <= m, `${String(text.length)} > ${String(m)}`);
  assert.ok(text.endsWith('…'));
  const kept = text.slice(0, -1);
  assert.ok(input.startsWith(kept), 'not a prefix');
  const high = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
  // Cut at the limit, one code unit earlier only to keep a surrogate pair whole.
  assert.ok(kept.length === m - 1 || (kept.length === m - 2 && high(input.charCodeAt(m - 2))));
  if (kept.length > 0) assert.ok(!high(kept.charCodeAt(kept.length - 1)), 'a split pair');
};

describe('maxMessageLength (properties)', () => {
  it('receiving: progressNotifications, trackProgress and ProgressManager cut, never drop', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), limit, (messages, max) => {
        const options = max === undefined ? {} : { maxMessageLength: max };
        const wire = messages.map((m, i) =>
          notification({ progressToken: 't', progress: i, message: m }),
        );

        let fromOperator: ProgressUpdate[] = [];
        from(wire)
          .pipe(progressNotifications(options), toArray())
          .subscribe((u) => (fromOperator = u));

        const fromGroups: ProgressUpdate[] = [];
        from(wire)
          .pipe(trackProgress({ ...options, maxUpdatesPerSecond: Infinity }))
          .subscribe((group) => group.subscribe((u) => fromGroups.push(u)));

        const messages$ = new Subject<unknown>();
        const manager = new ProgressManager(messages$, {
          ...options,
          maxUpdatesPerSecond: Infinity,
        });
        const fromManager: ProgressUpdate[] = [];
        manager.track('t').subscribe((u) => fromManager.push(u));
        for (const w of wire) messages$.next(w);
        manager.dispose();

        for (const updates of [fromOperator, fromGroups, fromManager]) {
          assert.equal(updates.length, messages.length);
          updates.forEach((u, i) => {
            checkCut(messages[i], u.message, max);
          });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sending: ProgressReporter and toProgressNotifications cut, never drop', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), limit, (messages, max) => {
        const options = max === undefined ? {} : { maxMessageLength: max };
        const inputs = messages.map((m, i) => ({ progress: i, message: m }));

        const sent: ProgressNotification[] = [];
        const reporter = new ProgressReporter(
          't',
          (n) => {
            sent.push(n);
          },
          { ...options, maxUpdatesPerSecond: Infinity },
        );
        for (const input of inputs) reporter.next(input);
        reporter.complete();

        let emitted: ProgressNotification[] = [];
        from(inputs)
          .pipe(
            toProgressNotifications('t', { ...options, maxUpdatesPerSecond: Infinity }),
            toArray(),
          )
          .subscribe((ns) => (emitted = ns));

        for (const notifications of [sent, emitted]) {
          assert.equal(notifications.length, messages.length);
          notifications.forEach((n, i) => {
            checkCut(messages[i], n.params.message, max);
          });
        }
      }),
      { numRuns: 400 },
    );
  });
});
