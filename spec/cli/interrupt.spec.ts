import { Interrupted, listenForInterrupt } from '../../src/cli/interrupt.js';

describe('listenForInterrupt', () => {
  let exit: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });
  afterEach(() => {
    exit.mockRestore();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: the first aborts with Interrupted (exit %i)', (name, code) => {
    const interrupt = listenForInterrupt();
    try {
      process.emit(name);
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.signal.reason).toBeInstanceOf(Interrupted);
      expect((interrupt.signal.reason as Interrupted).exitCode).toBe(code);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      interrupt.dispose();
    }
  });

  it('names the signal, SIGINT if none is given', () => {
    expect(new Interrupted('SIGTERM').message).toBe('interrupted (SIGTERM)');
    expect(new Interrupted().message).toBe('interrupted (SIGINT)');
    expect(new Interrupted().exitCode).toBe(130);
  });

  it('a second SIGINT or SIGTERM exits at once; a second SIGHUP does not (a closing terminal repeats it)', () => {
    const interrupt = listenForInterrupt();
    try {
      process.emit('SIGHUP');
      process.emit('SIGHUP');
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGTERM');
      expect(exit).toHaveBeenCalledWith(143);
      process.emit('SIGINT');
      expect(exit).toHaveBeenLastCalledWith(130);
      expect((interrupt.signal.reason as Interrupted).by).toBe('SIGHUP');
    } finally {
      interrupt.dispose();
    }
  });

  it('dispose stops listening', () => {
    const counts = (): number[] =>
      (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((name) => process.listenerCount(name));
    const before = counts();
    const interrupt = listenForInterrupt();
    expect(counts()).toEqual(before.map((n) => n + 1));
    interrupt.dispose();
    expect(counts()).toEqual(before);
  });
});
