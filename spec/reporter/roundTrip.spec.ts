/**
 * The sending side feeding the receiving side: what a ProgressReporter sends, carried by a Subject
 * standing in for the transport, arrives through ProgressManager and trackProgress valid, strictly
 * increasing and complete (the final update last), with no diagnostic on the receiving side.
 */
import { interval, map, mergeMap, Subject, take, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  isFinalUpdate,
  ProgressManager,
  ProgressNotification,
  ProgressReporter,
  trackProgress,
  type ProgressErrorResult,
  type ProgressInput,
  type ProgressUpdate,
} from '../../src/index.js';
import { ManualClock, settleTurns } from './support.js';
import { testScheduler } from '../helpers/testScheduler.js';

/** Inputs, one every 10 ms: 3 virtual seconds. */
const STEPS = 300;

/** One input every 10 ms (virtual), `step 1` to `step STEPS`, the last one final. */
const steps = (rx: TestScheduler): Observable<ProgressInput> =>
  interval(10, rx).pipe(
    take(STEPS),
    map((i) => ({ progress: i + 1, total: STEPS, message: `step ${String(i + 1)}` })),
  );

const expectClean = (sent: ProgressNotification[], received: ProgressUpdate[]): void => {
  expect(sent.length).toBeGreaterThan(1);
  expect(sent.every((n) => ProgressNotification.is(n))).toBe(true);
  for (const list of [sent.map((n) => n.params.progress), received.map((u) => u.progress)]) {
    for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1]);
  }
  const last = received[received.length - 1];
  expect(isFinalUpdate(last)).toBe(true);
  expect(last).toEqual({
    progressToken: last.progressToken,
    progress: STEPS,
    total: STEPS,
    message: `step ${String(STEPS)}`,
  });
  expect(received.filter((u) => isFinalUpdate(u))).toHaveLength(1);
};

describe('round trip: ProgressReporter → transport → receiving side', () => {
  let rx: TestScheduler;

  beforeEach(() => {
    rx = testScheduler();
  });

  it('through ProgressManager.track: valid, increasing, complete', () => {
    const sent: ProgressNotification[] = [];
    const received: ProgressUpdate[] = [];
    const problems: ProgressErrorResult[] = [];
    let completedAt = -1;
    rx.run(() => {
      const wire = new Subject<unknown>();
      const manager = new ProgressManager(wire, { scheduler: rx });
      const token = manager.createToken();
      manager.errors$.subscribe((p) => problems.push(p));
      manager.track(token, { requestId: 1 }).subscribe({
        next: (u) => received.push(u),
        complete: () => {
          completedAt = rx.now();
        },
      });
      const reporter = new ProgressReporter(
        token,
        (n) => {
          sent.push(n);
          wire.next(n);
        },
        // Within the manager's default limit (10 a second), so it has nothing to coalesce.
        { scheduler: rx, burst: 1, maxUpdatesPerSecond: 10 },
      );
      // One input every 10 ms for 3 s, the last one final.
      steps(rx).subscribe(reporter);
    });
    expectClean(sent, received);
    // The reporter held 3,000 inputs to its rate: at most 1 + 10 a second (+ the final).
    expect(sent.length).toBeLessThanOrEqual(1 + 10 * 3 + 1);
    expect(completedAt).toBe(STEPS * 10);
    expect(problems).toEqual([]);
  });

  it('through trackProgress: valid, increasing, complete', () => {
    const sent: ProgressNotification[] = [];
    const received: ProgressUpdate[] = [];
    const problems: ProgressErrorResult[] = [];
    const completed: unknown[] = [];
    rx.run(() => {
      const wire = new Subject<unknown>();
      wire
        .pipe(
          trackProgress({ scheduler: rx, onError: (p) => problems.push(p) }),
          mergeMap((group) => group),
        )
        .subscribe((u) => received.push(u));
      wire.pipe(trackProgress({ scheduler: rx })).subscribe((group) => {
        group.subscribe({ complete: () => completed.push(group.key) });
      });
      const reporter = new ProgressReporter(
        42,
        (n) => {
          sent.push(n);
          wire.next(n);
        },
        { scheduler: rx },
      );
      steps(rx).subscribe(reporter);
    });
    expectClean(sent, received);
    expect(completed).toEqual([42]);
    expect(problems).toEqual([]);
  });

  it('with an asynchronous transport, complete() then done: nothing arrives after done', async () => {
    const clock = new ManualClock();
    const wire = new Subject<unknown>();
    const manager = new ProgressManager(wire, { scheduler: clock, maxUpdatesPerSecond: Infinity });
    const token = manager.createToken();
    const received: ProgressUpdate[] = [];
    const problems: ProgressErrorResult[] = [];
    manager.errors$.subscribe((p) => problems.push(p));
    let trackedDone = false;
    manager.track(token).subscribe({
      next: (u) => received.push(u),
      complete: () => {
        trackedDone = true;
      },
    });
    const sent: ProgressNotification[] = [];
    const reporter = new ProgressReporter(
      token,
      // The transport delivers a few microtasks later.
      (n) =>
        settleTurns().then(() => {
          sent.push(n);
          wire.next(n);
        }),
      { scheduler: clock, burst: 2, maxUpdatesPerSecond: 100 },
    );
    for (let i = 1; i < STEPS; i++) {
      clock.advanceTo(i * 10);
      reporter.next({ progress: i, total: STEPS, message: `step ${String(i)}` });
      if (i % 5 === 0) await settleTurns();
    }
    clock.advanceTo(STEPS * 10);
    reporter.next({ progress: STEPS, total: STEPS, message: `step ${String(STEPS)}` });
    reporter.complete();
    await reporter.done;
    const atDone = received.length;
    expect(trackedDone).toBe(true);
    expectClean(sent, received);
    await settleTurns();
    clock.advanceTo(STEPS * 10 + 10_000);
    expect(received).toHaveLength(atDone);
    expect(problems).toEqual([]);
  });
});
