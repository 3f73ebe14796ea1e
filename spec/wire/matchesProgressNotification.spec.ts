import fc from 'fast-check';
import { ProgressNotification } from '../../src/index.js';
import { matchesProgressNotification } from '../../src/wire/matchesProgressNotification.js';

/** Values that sit on the edges of every rule of the codec. */
const edgy = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    NaN,
    Infinity,
    -Infinity,
    '',
    '2.0',
    '1',
    'notifications/progress',
    true,
    null,
    undefined,
    [],
    {},
    [1],
    new Date(0),
    Object.create(null) as object,
  ),
  fc.anything(),
);

/** Messages shaped like progress notifications, each field drawn from valid and edgy values. */
const notificationLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), edgy),
    method: fc.oneof(fc.constant('notifications/progress'), edgy),
    params: fc.oneof(
      fc.record(
        {
          progressToken: fc.oneof(fc.string(), fc.integer(), edgy),
          progress: fc.oneof(fc.double(), fc.nat(), edgy),
          total: fc.oneof(fc.double(), fc.nat(), edgy),
          message: fc.oneof(fc.string(), edgy),
          _meta: fc.oneof(fc.object(), edgy),
        },
        { requiredKeys: [] },
      ),
      edgy,
    ),
    id: edgy,
  },
  { requiredKeys: [] },
);

describe('matchesProgressNotification (the hot-path guard)', () => {
  it('accepts nothing the codec rejects, for any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), notificationLike), (input) => {
        if (matchesProgressNotification(input)) expect(ProgressNotification.is(input)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the codec on notification-shaped messages', () => {
    fc.assert(
      fc.property(notificationLike, (input) => {
        expect(matchesProgressNotification(input)).toBe(ProgressNotification.is(input));
      }),
      { numRuns: 5000 },
    );
  });

  it('recognises every well-formed notification itself', () => {
    const valid = fc.record(
      {
        progressToken: fc.oneof(fc.string(), fc.integer()),
        progress: fc.double({ min: 0, noDefaultInfinity: true, noNaN: true }),
        total: fc.double({ min: 0, noDefaultInfinity: true, noNaN: true }),
        message: fc.string(),
        _meta: fc.object(),
      },
      { requiredKeys: ['progressToken', 'progress'] },
    );
    fc.assert(
      fc.property(valid, (params) => {
        expect(
          matchesProgressNotification({ jsonrpc: '2.0', method: 'notifications/progress', params }),
        ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
