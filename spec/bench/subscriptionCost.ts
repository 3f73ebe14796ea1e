/**
 * What a `trackProgress` group costs to create, against what RxJS itself charges for one retained
 * subscription (the question behind issue 6's misses for trackProgress; spec/bench/README.md).
 *
 * ```sh
 * node --expose-gc -r ./spec/bench/register.cjs spec/bench/subscriptionCost.ts
 * ```
 *
 * Five rows, each the median (CPU time) of 7 rounds of 100,000, the rows interleaved within every
 * round so that the machine's drift hits them alike; every created subscription or group stays alive
 * until the end of its round, as a group does until its token completes:
 *
 * 1. `subscribe` to an Observable whose subscribe function returns nothing;
 * 2. the same with a subscribe function that returns a teardown object, as every group's does (RxJS
 *    then calls `subscriber.add(teardown)`, which makes a finalizer array per subscriber);
 * 3. `trackProgress`: 100,000 first updates of new tokens, the groups not subscribed (decoding, the
 *    lookup of groups (an `IndexedMap`), the group object, the outer `next`);
 * 4. the same, each group subscribed in the outer `next` as the benchmark's consumer does (row 3
 *    plus the group's own one-object subscriber, an `ObserverSubscriber`: docs/decisions.md);
 * 5. no RxJS and no library at all: plain objects of the shapes row 4 keeps alive (the group and
 *    its subscriber), kept in a `Map`: the cost of allocating that much that stays alive, which is
 *    mostly the young generation's collector copying it.
 */
import { Observable, Subject, type Subscription } from 'rxjs';
import { trackProgress } from '../../src/operators/trackProgress.js';
import { pushAll } from './contenders.js';
import { cpuNowMs, median, settleForTiming } from './measure.js';
import { progressMessage, tokenOf } from './workload.js';

const N = 100_000;
const ROUNDS = 7;
const observer = { next: (): void => undefined };
const teardown = { unsubscribe: (): void => undefined };
const noTeardown = new Observable<never>(() => undefined);
const withTeardown = new Observable<never>(() => teardown);
const firsts = Array.from({ length: N }, (_, i) => progressMessage(tokenOf(i), 1));

/**
 * CPU ms of `run`, after a full collection and its sweeping (`settleForTiming`); what `run` returns
 * stays alive until it is timed.
 */
const timed = async (run: () => unknown): Promise<number> => {
  await settleForTiming();
  const start = cpuNowMs();
  const kept = run();
  const ms = cpuNowMs() - start;
  if (kept === undefined) throw new Error('nothing was kept');
  return ms;
};

const retained = (source: Observable<never>) => (): Subscription[] => {
  const kept: Subscription[] = [];
  for (let i = 0; i < N; i++) kept.push(source.subscribe(observer));
  return kept;
};

const groups = (subscribed: boolean) => (): Subscription => {
  const messages = new Subject<unknown>();
  let created = 0;
  const subscription = messages
    .pipe(trackProgress({ maxActiveTokens: Infinity, maxUpdatesPerSecond: Infinity }))
    .subscribe((group) => {
      created++;
      if (subscribed) group.subscribe(observer);
    });
  pushAll(messages, firsts);
  if (created !== N) throw new Error(`${String(created)} groups, expected ${String(N)}`);
  return subscription;
};

/**
 * Plain objects of the shapes a subscribed group keeps alive, with no RxJS and no library code: the
 * fields of `ProgressGroup` (with the `_subscribe` RxJS's constructor stores) and of its
 * `ObserverSubscriber` (with those of RxJS's `Subscription` and `Subscriber`), by their names.
 */
class GroupShape {
  _subscribe = noTeardown;
  last = undefined;
  first: SubscriberShape | undefined = undefined;
  others = undefined;
  pending = undefined;
  timerPrev = undefined;
  timerNext = undefined;
  timerDue = undefined;
  ending = undefined;
  constructor(
    readonly key: number,
    readonly owner: object,
  ) {}
}
class SubscriberShape {
  initialTeardown = undefined;
  closed = false;
  _parentage = null;
  _finalizers = null;
  isStopped = false;
  destination = observer;
  constructor(
    readonly observer: object,
    readonly teardown: GroupShape,
  ) {}
}

const plainShapes = (): Map<number, GroupShape> => {
  const kept = new Map<number, GroupShape>();
  for (let i = 0; i < N; i++) {
    const group = new GroupShape(i, kept);
    group.first = new SubscriberShape(observer, group);
    kept.set(i, group);
  }
  return kept;
};

const rows = [
  { label: 'RxJS subscribe, no teardown returned', run: retained(noTeardown), ms: [] as number[] },
  { label: 'RxJS subscribe, a teardown returned', run: retained(withTeardown), ms: [] as number[] },
  { label: 'trackProgress: a new group, not subscribed', run: groups(false), ms: [] as number[] },
  { label: 'trackProgress: a new group, subscribed', run: groups(true), ms: [] as number[] },
  { label: 'plain objects of the same shapes, in a Map', run: plainShapes, ms: [] as number[] },
];

const main = async (): Promise<void> => {
  for (const row of rows) await timed(row.run); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const row of rows) row.ms.push(await timed(row.run));
  }

  console.log(`${String(N)} each, median of ${String(ROUNDS)} rounds (CPU time, µs per item):`);
  for (const row of rows) {
    console.log(`  ${row.label.padEnd(46)} ${((median(row.ms) * 1000) / N).toFixed(2)} µs`);
  }
  const [, , bare, subscribed, plain] = rows.map((row) => median(row.ms));
  const share = ((subscribed - bare) / subscribed) * 100;
  console.log(
    `The consumer's subscription to its group: ${share.toFixed(0)}% of a group's creation`,
  );
  console.log(
    `Plain objects of the same shapes: ${((plain / subscribed) * 100).toFixed(0)}% of a subscribed group's creation`,
  );
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
