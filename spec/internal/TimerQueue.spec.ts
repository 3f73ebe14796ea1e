import { VirtualTimeScheduler } from 'rxjs';
import { monotonicScheduler } from '../../src/index.js';
import { TimerQueue, type TimerNode } from '../../src/internal/TimerQueue.js';

const node = (): TimerNode => ({ timerPrev: undefined, timerNext: undefined, timerDue: undefined });

describe('TimerQueue deadlines', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('on monotonicScheduler: rounded up to a whole millisecond (a small integer, no box per node)', () => {
    jest.spyOn(performance, 'now').mockReturnValue(1000.25);
    const queue = new TimerQueue(monotonicScheduler, 100.5, () => undefined);
    const n = node();
    queue.push(n);
    expect(n.timerDue).toBe(1101); // 1100.75 rounded up, never down
    queue.clear();
  });

  it('on any other scheduler: exact, fractions included (virtual time keeps its windows)', () => {
    const scheduler = new VirtualTimeScheduler();
    const queue = new TimerQueue(scheduler, 1000 / 3, () => undefined);
    const n = node();
    queue.push(n);
    expect(n.timerDue).toBe(1000 / 3);
    const due: number[] = [];
    const again = new TimerQueue<TimerNode>(scheduler, 1000 / 3, (d) => {
      due.push(scheduler.now());
      if (due.length < 3) again.push(d);
    });
    again.push(node());
    scheduler.flush();
    expect(due).toEqual([1000 / 3, 2000 / 3, 1000]);
    queue.clear();
  });
});
