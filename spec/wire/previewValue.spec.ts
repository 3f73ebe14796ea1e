import { previewValue } from '../../src/wire/previewValue.js';

describe('previewValue', () => {
  it('shows JSON values as JSON, and numbers JSON cannot hold as themselves', () => {
    expect(previewValue({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(previewValue('10')).toBe('"10"');
    expect(previewValue(NaN)).toBe('NaN');
    expect(previewValue(undefined)).toBe('undefined');
    expect(previewValue(Object.create(null) as object)).toBe('{}');
  });

  it('names objects JSON would show as {} (a forgotten await, a Map) by their kind', () => {
    const pending = Promise.resolve(5);
    expect(previewValue(pending)).toBe('a Promise');
    expect(previewValue(new Map([[1, 2]]))).toBe('a Map');
    expect(previewValue(new Error('x'))).toBe('an Error');
    expect(previewValue(/100/)).toBe('/100/');
    expect(previewValue(new Date(0))).toBe('a Date "1970-01-01T00:00:00.000Z"');
    class Job {
      readonly progress = 3;
    }
    expect(previewValue(new Job())).toBe('a Job {"progress":3}');
  });

  it('never throws, whatever the object does', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('no');
        },
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(() => previewValue(hostile)).not.toThrow();
  });
});
