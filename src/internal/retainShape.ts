/** Every instance passed to {@link retainShape}: one inert object per per-token class. */
const retained: object[] = [];

/**
 * Keeps one inert instance of a class alive for the life of the program, so that the JavaScript
 * engine keeps the class's hidden classes, and the optimised code built on them, between bursts of
 * work.
 *
 * V8 compiles the receiving path against the hidden classes ("maps") of the objects it meets: the
 * per-token state, its subscriber, the update. A class's hidden classes live only while an instance
 * of them does. When every token has completed (between two bursts of requests, or between two
 * passes of the benchmark) a full garbage collection finds none alive and frees them; the next
 * instance gets new ones, and every optimised function that had inlined the old ones is thrown away
 * and compiled again (`node --trace-deopt`: "weak objects", then "wrong map" and "code
 * dependencies"), slowly and on the process's CPU, at the start of every burst. One instance per
 * class, a few hundred bytes in all, prevents it (docs/decisions.md, "Performance": the benchmark's
 * passes went from 2 to 12 deoptimisations each to none).
 *
 * The instance must be inert: it holds no user object and no timer, and nothing ever reaches it.
 *
 * @param instance A fully constructed instance, built with the class's own constructor.
 * @return The same instance.
 * @internal
 */
export const retainShape = <T extends object>(instance: T): T => {
  retained.push(instance);
  return instance;
};
