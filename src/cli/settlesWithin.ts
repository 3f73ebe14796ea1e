/**
 * Waits for `promise` to fulfil, at most `ms` milliseconds (the timer does not keep the process
 * alive). For promises that do not reject.
 *
 * @return `true` if it fulfilled in time, `false` if the time ran out first.
 */
export const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
