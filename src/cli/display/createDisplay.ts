import { BarDisplay } from './BarDisplay.js';
import type { Display, DisplayStreams } from './Display.js';
import { JsonDisplay } from './JsonDisplay.js';
import { PlainDisplay } from './PlainDisplay.js';

/**
 * The display for the streams: JSON lines when asked, live bars when stdout is a terminal, plain
 * lines otherwise.
 */
export function createDisplay(streams: DisplayStreams, json: true): JsonDisplay;
export function createDisplay(streams: DisplayStreams, json: boolean): Display;
export function createDisplay(streams: DisplayStreams, json: boolean): Display {
  if (json) return new JsonDisplay(streams);
  return streams.out.isTTY === true ? new BarDisplay(streams) : new PlainDisplay(streams);
}
