import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import { progressRate, type RatedProgress } from '../operators/progressRate.js';
import { isProgressEvent, isResultEvent, type RequestEvent } from '../sdk/RequestEvent.js';

/** A request's event with its progress rated: what the CLI's displays get. */
export type RatedEvent<R> =
  | { readonly type: 'progress'; readonly update: RatedProgress }
  | { readonly type: 'result'; readonly result: R };

/**
 * Adds a rate and an ETA ({@link progressRate}) to the `progress` events of one request, keeping
 * the `result` event in its place (after every progress event).
 *
 * @return A function that returns the events with rated progress.
 */
export const ratedEvents = <R>(): OperatorFunction<RequestEvent<R>, RatedEvent<R>> =>
  connect((events) =>
    merge(
      events.pipe(
        filter(isProgressEvent),
        map((event) => event.update),
        progressRate(),
        map((update) => ({ type: 'progress' as const, update })),
      ),
      events.pipe(filter(isResultEvent)),
    ),
  );
