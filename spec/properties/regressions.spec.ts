/**
 * Shrunk counterexamples found by the property tests and the fuzzer, kept as ordinary tests with the
 * counterexample literally in them.
 *
 * The bugs B1 to B4 were first kept here as `it.failing` (passing while the bug was there); they are
 * fixed, and these are now their regression tests. The property oracles (spec/properties/model.ts)
 * no longer make allowances for them.
 */
import * as E from 'fp-ts/lib/Either.js';
import { from, Subject } from 'rxjs';
import {
  decodeProgressNotification,
  ProgressError,
  ProgressManager,
  ProgressReporter,
  trackProgress,
  type ProgressErrorResult,
  type ProgressNotification,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
import { testScheduler } from '../helpers/testScheduler.js';

const progress = (params: Record<string, unknown>): Record<string, unknown> => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params,
});

describe('regressions found by the property tests', () => {
  it('a peer’s -0 is the token 0: one group, keyed by the first spelling (tokens compare as Map keys, and JSON cannot tell them apart)', () => {
    // trackProgress.properties: [{"params":{"progressToken":-0,"progress":0}},{"params":{"progressToken":0,"progress":1}}]
    const groups: ProgressToken[] = [];
    const updates: ProgressUpdate[] = [];
    from([
      progress({ progressToken: -0, progress: 0 }),
      progress({ progressToken: 0, progress: 1 }),
    ])
      .pipe(trackProgress({ maxUpdatesPerSecond: Infinity }))
      .subscribe((group) => {
        groups.push(group.key);
        group.subscribe((u) => updates.push(u));
      });
    expect(groups).toHaveLength(1);
    expect(Object.is(groups[0], -0)).toBe(true);
    expect(updates.map((u) => u.progress)).toEqual([0, 1]);
    expect(JSON.stringify(updates.map((u) => u.progressToken))).toBe('[0,0]');
  });

  it('an update whose progress is -0 is accepted as 0 and a later 0 is not an increase', () => {
    const updates: number[] = [];
    const problems: ProgressErrorResult[] = [];
    from([
      progress({ progressToken: 't', progress: -0 }),
      progress({ progressToken: 't', progress: 0 }),
      progress({ progressToken: 't', progress: 5e-324 }),
    ])
      .pipe(trackProgress({ maxUpdatesPerSecond: Infinity, onError: (p) => problems.push(p) }))
      .subscribe((group) => group.subscribe((u) => updates.push(u.progress)));
    expect(updates).toEqual([-0, 5e-324]);
    expect(problems.map((p) => p.error)).toEqual([ProgressError.INVALID_PROGRESS]);
  });
});

describe('bugs found by these tests, fixed (each test failed before its fix)', () => {
  /**
   * BUG B1. Found by ProgressManager.properties (shrunk):
   * {"rate":139,"steps":[[0,{"kind":"track","slot":0}],[0,{"kind":"progress","delta":0}],
   *  [0,{"kind":"progress","delta":0.5}],[0,{"kind":"progress","delta":0.5,"shape":"final"}]]}
   * Expected: the held update (0.5), replaced by the final one inside its window, is reported as
   * RATE_LIMIT ("each replaced update is reported as RATE_LIMIT"; "every dropped or rejected input
   * is in exactly one diagnostic's details.count", docs/receiving.md). Actual: nothing on errors$.
   * Where: TokenPipeline.accept, final branch: `state.pending = undefined` without `superseded`.
   */
  it('B1: ProgressManager counts a held update that the final update replaces (RATE_LIMIT)', () => {
    const rx = testScheduler();
    rx.run(() => {
      const messages$ = new Subject<unknown>();
      const manager = new ProgressManager(messages$, { scheduler: rx, maxUpdatesPerSecond: 139 });
      const problems: ProgressErrorResult[] = [];
      manager.errors$.subscribe((p) => problems.push(p));
      const updates: number[] = [];
      manager.track('a').subscribe((u) => updates.push(u.progress));
      messages$.next(progress({ progressToken: 'a', progress: 0 }));
      messages$.next(progress({ progressToken: 'a', progress: 0.5 }));
      messages$.next(progress({ progressToken: 'a', progress: 1.5, total: 1.5 }));
      expect(updates).toEqual([0, 1.5]); // 0.5 was held, then replaced by the final update
      manager.dispose();
      expect(problems.map((p) => [p.error, (p.details as { count: number }).count])).toEqual([
        [ProgressError.RATE_LIMIT, 1],
      ]);
    });
  });

  /**
   * BUG B2. Found by ProgressManager.properties (shrunk):
   * [{"kind":"malformed","message":{"jsonrpc":"2.0","method":"notifications/progress","params":[]}}]
   * Expected: INVALID_PROGRESS ("A notification whose params is not an object is INVALID_PROGRESS
   * ... INVALID_TOKEN is exactly params.progressToken is malformed or missing", docs/decisions.md;
   * the message itself says "params: [] is not an object"). Actual: INVALID_TOKEN.
   * Where: classifyInvalid (src/wire/describeDecodeFailure.ts) treats an array as an object.
   */
  it('B2: a notification whose params is an array is INVALID_PROGRESS, like any non-object params', () => {
    const result = decodeProgressNotification({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: [],
    });
    expect(E.isLeft(result) && result.left.error).toBe(ProgressError.INVALID_PROGRESS);
  });

  /**
   * BUG B3. Found while writing spec/faults (a hostile `send`):
   * send = () => ({ get then() { throw new Error('then getter') } })
   * Expected: as for a send that throws or rejects: the caller of next() is not hurt, the reporter
   * closes, STATE_ERROR on errors$, done rejects (docs/reporting.md). Actual: next() throws
   * "then getter" into the operation code, and the reporter stays "in flight" forever: done never
   * settles and nothing more is sent.
   * Where: ProgressSender.sendPending reads `result.then` (isPromiseLike) outside its try.
   */
  it('B3: a send whose result has a throwing `then` getter closes the reporter like a throwing send', async () => {
    const reporter = new ProgressReporter('t', () => {
      const hostile = {
        get then(): unknown {
          throw new Error('then getter');
        },
      };
      return hostile as unknown as Promise<void>;
    });
    expect(() => {
      reporter.next({ progress: 1 });
    }).not.toThrow();
    await expect(reporter.done).rejects.toMatchObject({ error: ProgressError.STATE_ERROR });
  });

  /**
   * BUG B4. Found by wire.fuzz (shrunk): 100000000000000000000000000000000000000000000000000000000000n
   * Expected: previews are "never longer than about 60 characters" (previewValue), so a diagnostic
   * stays short for any input. Actual: a BigInt is rendered in full, so `10n ** 100000n` makes a
   * 100,001-character diagnostic. (JSON cannot carry a BigInt: only an in-process caller can.)
   * Where: previewValue, case 'bigint'.
   */
  it('B4: a huge BigInt makes a short diagnostic', () => {
    const result = decodeProgressNotification(
      progress({ progressToken: 't', progress: 10n ** 100_000n }),
    );
    expect(E.isLeft(result) && result.left.message.length).toBeLessThanOrEqual(400);
  });

  it('(B3 is about the `then` getter only: a `then` method that throws is a rejection, handled)', async () => {
    const sent: ProgressNotification[] = [];
    const reporter = new ProgressReporter('t', (n) => {
      sent.push(n);
      return {
        then: () => {
          throw new Error('then threw');
        },
      };
    });
    reporter.next({ progress: 1 });
    await expect(reporter.done).rejects.toMatchObject({ error: ProgressError.STATE_ERROR });
    expect(sent).toHaveLength(1);
  });
});
