import type { RequestEvent } from '../../../src/sdk/index.js';

/** Progress values and `result`, in order: the shape of a request's events. */
export const eventShape = <R>(events: readonly RequestEvent<R>[]): (number | string)[] =>
  events.map((e) => (e.type === 'progress' ? e.update.progress : 'result'));

/** The progress values of a request's events, in order. */
export const progressOf = <R>(events: readonly RequestEvent<R>[]): number[] =>
  events.flatMap((e) => (e.type === 'progress' ? [e.update.progress] : []));
