import { NEVER } from 'rxjs';
import { monotonicScheduler, ProgressError, ProgressManager } from '../../src/index.js';

describe('monotonicScheduler', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reads performance.now(), not the wall clock', () => {
    const before = monotonicScheduler.now();
    jest.spyOn(Date, 'now').mockReturnValue(0);
    expect(monotonicScheduler.now()).toBeGreaterThanOrEqual(before);
    expect(Math.abs(monotonicScheduler.now() - performance.now())).toBeLessThan(50);
  });

  it('runs work after the delay, like asyncScheduler', async () => {
    const ran = await new Promise<number>((resolve) => {
      const start = monotonicScheduler.now();
      monotonicScheduler.schedule(() => {
        resolve(monotonicScheduler.now() - start);
      }, 20);
    });
    expect(ran).toBeGreaterThanOrEqual(19);
  });

  it('keeps a default idle timeout on time when the wall clock steps back (as NTP can)', async () => {
    const manager = new ProgressManager(NEVER, { idleTimeoutMs: 100 });
    const start = performance.now();
    const failed = new Promise<unknown>((resolve) => {
      manager.track('t').subscribe({ error: resolve });
    });
    // The wall clock jumps 10 s into the past right after the deadline is set.
    const wall = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => wall - 10_000);
    const error = await failed;
    expect(error).toMatchObject({ error: ProgressError.STATE_ERROR });
    // With the wall clock the timeout would come 10 s late; the bound is generous for a busy machine.
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
