/**
 * rx-mcp-progress/sdk: the library on top of the official MCP TypeScript SDK
 * (`@modelcontextprotocol/sdk`, an optional peer dependency). Only this entry imports the SDK.
 *
 * @packageDocumentation
 */

// Any transport
export { fromTransport } from './fromTransport.js';

// Client side
export { requestWithProgress, type RequestPeer } from './requestWithProgress.js';
export { callToolWithProgress, type ToolCaller } from './callToolWithProgress.js';
export type { RequestWithProgressOptions } from './RequestWithProgressOptions.js';
export { isProgressEvent, isResultEvent, type RequestEvent } from './RequestEvent.js';

// Server side
export { reporterFor, type ProgressHandlerExtra, type ReporterForConfig } from './reporterFor.js';
export {
  withProgress,
  type ToolCallbackArgs,
  type ToolExtra,
  type WithProgressConfig,
} from './withProgress.js';
