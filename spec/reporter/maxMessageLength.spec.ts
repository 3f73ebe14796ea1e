import { of, toArray } from 'rxjs';
import {
  ProgressReporter,
  toProgressNotifications,
  type ProgressNotification,
} from '../../src/index.js';

describe('the sending side cuts long messages', () => {
  it('ProgressReporter sends at most maxMessageLength (1024 by default)', () => {
    const sent: ProgressNotification[] = [];
    const long = 'z'.repeat(3000);
    const byDefault = new ProgressReporter('a', (n) => {
      sent.push(n);
    });
    byDefault.next({ progress: 1, message: long });
    const short = new ProgressReporter(
      'b',
      (n) => {
        sent.push(n);
      },
      { maxMessageLength: 2 },
    );
    short.next({ progress: 1, message: long });
    short.next({ progress: 2, message: 'ok' });
    byDefault.complete();
    short.complete();
    expect(sent.map((n) => n.params.message)).toEqual([`${'z'.repeat(1023)}…`, 'z…', 'ok']);
  });

  it('toProgressNotifications takes the option too', () => {
    let messages: (string | undefined)[] = [];
    of({ progress: 1, message: 'hello' }, { progress: 2, total: 2, message: 'done!' })
      .pipe(
        toProgressNotifications('t', { maxMessageLength: 4, maxUpdatesPerSecond: Infinity }),
        toArray(),
      )
      .subscribe((ns) => (messages = ns.map((n) => n.params.message)));
    expect(messages).toEqual(['hel…', 'don…']);
  });

  it('rejects a bad limit', () => {
    expect(() => new ProgressReporter('a', () => undefined, { maxMessageLength: 0 })).toThrow(
      'maxMessageLength must be an integer >= 1 or Infinity, got 0',
    );
  });
});
