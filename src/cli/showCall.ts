import {
  connect,
  filter,
  ignoreElements,
  lastValueFrom,
  map,
  merge,
  tap,
  type Observable,
} from 'rxjs';
import { progressRate } from '../operators/progressRate.js';
import { isProgressEvent, isResultEvent, type RequestEvent } from '../sdk/RequestEvent.js';
import type { JobView } from './display/Display.js';

/**
 * Runs a request and shows its progress: each `progress` event goes to `view` with a rate and an
 * ETA ({@link progressRate}); the promise gives the `result` event's result.
 *
 * The request is sent on subscription, before this returns (what `captureRequestId` relies on).
 *
 * @param events The request's events (`callToolWithProgress`): progress, then one result.
 * @param view Where the progress goes. If not provided, defaults to nowhere.
 * @return The result; rejects with the request's error.
 */
export const showCall = <R>(
  events: Observable<RequestEvent<R>>,
  view?: Pick<JobView, 'update'>,
): Promise<R> =>
  lastValueFrom(
    events.pipe(
      connect((shared) =>
        merge(
          shared.pipe(
            filter(isProgressEvent),
            map((event) => event.update),
            progressRate(),
            tap((update) => {
              view?.update(update);
            }),
            ignoreElements(),
          ),
          shared.pipe(
            filter(isResultEvent),
            map((event) => event.result),
          ),
        ),
      ),
    ),
  );
