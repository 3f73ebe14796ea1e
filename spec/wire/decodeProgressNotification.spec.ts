import * as E from 'fp-ts/lib/Either.js';
import {
  decodeProgressNotification,
  ProgressError,
  ProgressNotification,
  ProgressToken,
  toProgressNotification,
  type ProgressErrorResult,
  type ProgressUpdate,
} from '../../src/index.js';

const notification = (params: unknown): unknown => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params,
});

const left = (input: unknown): ProgressErrorResult => {
  const result = decodeProgressNotification(input);
  if (E.isRight(result))
    throw new Error(`expected a rejection, got ${JSON.stringify(result.right)}`);
  return result.left;
};

const right = (input: unknown): ProgressUpdate => {
  const result = decodeProgressNotification(input);
  if (E.isLeft(result)) throw new Error(`expected an update, got ${result.left.message}`);
  return result.right;
};

describe('ProgressToken', () => {
  it.each([['job-1'], [''], [0], [7], [-3], [2 ** 53]])('accepts %p', (token) => {
    expect(ProgressToken.is(token)).toBe(true);
  });

  it.each([[1.5], [NaN], [Infinity], [true], [null], [undefined], [{}], [[]], [1n]])(
    'rejects %p',
    (token) => {
      expect(ProgressToken.is(token)).toBe(false);
      expect(E.isLeft(ProgressToken.decode(token))).toBe(true);
    },
  );
});

describe('decodeProgressNotification', () => {
  it('decodes the required fields', () => {
    expect(right(notification({ progressToken: 'a', progress: 0 }))).toStrictEqual({
      progressToken: 'a',
      progress: 0,
    });
  });

  it('decodes total and message, and leaves _meta and unknown fields out', () => {
    expect(
      right(
        notification({
          progressToken: 7,
          progress: 2.5,
          total: 10,
          message: 'half',
          _meta: { x: 1 },
          extra: true,
        }),
      ),
    ).toStrictEqual({ progressToken: 7, progress: 2.5, total: 10, message: 'half' });
  });

  it('reads a total of 0 as unknown', () => {
    expect(right(notification({ progressToken: 1, progress: 3, total: 0 }))).toStrictEqual({
      progressToken: 1,
      progress: 3,
    });
  });

  it('accepts a progress above its total (the final update)', () => {
    expect(right(notification({ progressToken: 1, progress: 12, total: 10 })).progress).toBe(12);
  });

  it.each([
    ['1.5', 1.5],
    ['NaN', NaN],
    ['true', true],
    ['null', null],
    ['{}', {}],
  ])('rejects a token of %s as INVALID_TOKEN, naming the field and value', (shown, token) => {
    const problem = left(notification({ progressToken: token, progress: 1 }));
    expect(problem.error).toBe(ProgressError.INVALID_TOKEN);
    expect(problem.message).toContain(
      `params.progressToken: ${shown} is not a string or an integer`,
    );
  });

  it('rejects a missing token as INVALID_TOKEN', () => {
    const problem = left(notification({ progress: 1 }));
    expect(problem.error).toBe(ProgressError.INVALID_TOKEN);
    expect(problem.message).toContain('params.progressToken is missing');
  });

  it.each([
    ['progress', { progress: -1 }, 'params.progress: -1 is not a finite number >= 0'],
    ['progress', { progress: NaN }, 'params.progress: NaN is not a finite number >= 0'],
    ['progress', { progress: Infinity }, 'params.progress: Infinity is not a finite number >= 0'],
    ['progress', { progress: '5' }, 'params.progress: "5" is not a finite number >= 0'],
    ['progress', {}, 'params.progress is missing (expected a finite number >= 0)'],
    ['total', { progress: 1, total: -2 }, 'params.total: -2 is not a finite number >= 0'],
    ['total', { progress: 1, total: null }, 'params.total: null is not a finite number >= 0'],
    ['message', { progress: 1, message: 5 }, 'params.message: 5 is not a string'],
    ['_meta', { progress: 1, _meta: 'x' }, 'params._meta: "x" is not an object'],
  ])('rejects a bad %s as INVALID_PROGRESS: %p', (_field, params, text) => {
    const problem = left(notification({ progressToken: 'tok', ...params }));
    expect(problem.error).toBe(ProgressError.INVALID_PROGRESS);
    expect(problem.message).toContain(text);
    expect(problem.details).toMatchObject({ progressToken: 'tok' });
  });

  it('rejects a wrong envelope', () => {
    expect(left(42).message).toContain('the message: 42 is not an object');
    expect(
      left({ jsonrpc: '1.0', method: 'notifications/progress', params: {} }).message,
    ).toContain('jsonrpc: "1.0" is not "2.0"');
    expect(left(notification('x')).message).toContain('params: "x" is not an object');
    expect(left(notification('x')).error).toBe(ProgressError.INVALID_PROGRESS);
  });

  it('keeps messages short for huge values and lists at most three problems', () => {
    const problem = left(
      notification({
        progressToken: 'x'.repeat(10_000),
        progress: -1,
        total: -1,
        message: 1,
        _meta: 1,
      }),
    );
    expect(problem.message.length).toBeLessThan(400);
    expect(problem.message).toContain('and 1 more');
  });

  it('never throws on hostile input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const inputs: unknown[] = [
      undefined,
      null,
      Symbol('s'),
      () => 1,
      10n,
      cyclic,
      notification(cyclic),
      notification({ progressToken: 1, progress: 1n }),
      JSON.parse(
        '{"jsonrpc":"2.0","method":"notifications/progress","params":{"__proto__":{"progress":1},"progressToken":1}}',
      ),
    ];
    for (const input of inputs) expect(E.isLeft(decodeProgressNotification(input))).toBe(true);
  });
});

describe('toProgressNotification', () => {
  it('builds a message the codec accepts, without undefined keys', () => {
    const message = toProgressNotification({ progressToken: 'a', progress: 1 });
    expect(message).toStrictEqual({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'a', progress: 1 },
    });
    expect(ProgressNotification.is(message)).toBe(true);
  });

  it('round-trips through decodeProgressNotification', () => {
    const update = { progressToken: 3, progress: 4, total: 8, message: 'm' };
    expect(right(toProgressNotification(update))).toStrictEqual(update);
  });
});
