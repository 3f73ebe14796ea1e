/**
 * Each `make` given to {@link retainShape}, with what it returned, kept for the life of the program
 * (`undefined` while it runs).
 */
const retained = new Map<() => object, object | undefined>();

/**
 * Builds, the first time it is given `make`, inert instances of per-token classes and keeps them
 * alive for the life of the program, so that the JavaScript engine keeps those classes' hidden
 * classes, and the optimised code built on them, between bursts of work.
 *
 * V8 compiles the receiving path against the hidden classes ("maps") of the objects it meets: the
 * per-token state, its subscriber, the update. A class's hidden classes live only while an instance
 * of them does. When every token has completed (between two bursts of requests, or between two
 * passes of the benchmark) a full garbage collection finds none alive and frees them; the next
 * instance gets new ones, and every optimised function that had inlined the old ones is thrown away
 * and compiled again (`node --trace-deopt`: "weak objects", then "wrong map" and "code
 * dependencies"), slowly and on the process's CPU, at the start of every burst. One instance per
 * class, a few hundred bytes in all, prevents it (docs/decisions.md, "Performance": the benchmark's
 * passes went from up to 38.5 deoptimisations each, median, to none).
 *
 * It is called where the classes are first needed (a manager's construction, a `trackProgress`
 * pipeline's), not when a module loads: a module that does nothing at load is one a bundler can
 * leave out of a program that does not use it.
 *
 * What `make` builds must be inert: it holds no user object and no timer, and nothing ever reaches
 * it. `make` is called once however often it is given (it may itself construct the class whose
 * constructor calls this: the nested call does nothing).
 *
 * @param make Builds the instances, with each class's own constructor.
 * @internal
 */
export const retainShape = (make: () => object): void => {
  if (retained.has(make)) return;
  retained.set(make, undefined);
  retained.set(make, make());
};
