import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isProgressMessage, responseIdOf, type RequestId } from '../../internal/jsonRpc.js';
import { RecentSet } from '../../internal/RecentSet.js';
import type { ProgressToken } from '../../wire/ProgressToken.js';
import { progressTokenOf } from '../../wire/progressTokenOf.js';
import { existingObserverLink, TransportLink, type LinkInterceptor } from './TransportLink.js';

/** Where a {@link Route} sends what the router finds for it. @internal */
export interface RouteTarget {
  /** A progress notification carrying the route's token. */
  progress(message: JSONRPCMessage): void;
  /** The response (result or error) to the route's request; the route has ended. */
  response(): void;
  /** The transport closed; the route has ended. */
  closed(): void;
}

/**
 * One request's claim on a progress token (and, once known, its request id) in a
 * {@link ProgressRouter}.
 *
 * @internal
 */
export class Route {
  requestId: RequestId | undefined = undefined;
  active = true;

  constructor(
    private readonly router: ProgressRouter,
    readonly token: ProgressToken,
    readonly target: RouteTarget,
  ) {}

  /** Routes the response with this id to the target (and ends the route there). */
  bind(requestId: RequestId): void {
    if (this.active) this.router.bind(this, requestId);
  }

  /** Ends the route: later progress for its token is consumed quietly. Idempotent. */
  end(): void {
    this.router.end(this);
  }
}

/** How many ended tokens a router remembers, to consume their late progress quietly. */
const ENDED_TOKENS = 1024;

const routers = new WeakMap<Transport, ProgressRouter>();

/**
 * The client half of `requestWithProgress` on one transport: an interceptor chained in front of the
 * connected SDK's `onmessage` that routes progress notifications by token and responses by id to the
 * library's requests, synchronously and in arrival order.
 *
 * Progress notifications whose token belongs to one of its requests (active, or among the
 * {@link ENDED_TOKENS} that ended last) are consumed: the SDK below never sees them. The SDK could
 * not route them (it looks tokens up with `Number(token)` among its own `onprogress` handlers) and
 * would report each one to `onerror` as an unknown token. `fromTransport` subscribers still see them:
 * those chained above see every message anyway, and those below are handed consumed messages
 * directly. Everything else, responses included, passes down unchanged.
 *
 * One router per transport, made on first use and kept until the transport closes (late progress
 * can come at any time after a request ended).
 *
 * @internal
 */
export class ProgressRouter implements LinkInterceptor {
  private readonly tokens = new Map<ProgressToken, Route>();
  private readonly requests = new Map<RequestId, Route>();
  private readonly ended = new RecentSet<ProgressToken>(ENDED_TOKENS);
  private readonly link: TransportLink;

  private constructor(private readonly transport: Transport) {
    this.link = new TransportLink(transport);
    this.link.intercept(this);
  }

  /** The router of `transport`, chained in on first use. */
  static of(transport: Transport): ProgressRouter {
    let router = routers.get(transport);
    if (router === undefined) {
      router = new ProgressRouter(transport);
      routers.set(transport, router);
    }
    return router;
  }

  /** Claims `token` for a request; `undefined` when another request of this router holds it. */
  claim(token: ProgressToken, target: RouteTarget): Route | undefined {
    if (this.tokens.has(token)) return undefined;
    const route = new Route(this, token, target);
    this.tokens.set(token, route);
    this.ended.delete(token);
    return route;
  }

  /** @internal Called by {@link Route.bind}. */
  bind(route: Route, requestId: RequestId): void {
    route.requestId = requestId;
    this.requests.set(requestId, route);
  }

  /** @internal Called by {@link Route.end}. */
  end(route: Route): void {
    if (!route.active) return;
    route.active = false;
    this.tokens.delete(route.token);
    if (route.requestId !== undefined && this.requests.get(route.requestId) === route) {
      this.requests.delete(route.requestId);
    }
    this.ended.add(route.token);
  }

  message(message: JSONRPCMessage): boolean {
    if (isProgressMessage(message)) {
      const token = progressTokenOf(message);
      if (token === undefined) return false;
      const route = this.tokens.get(token);
      if (route !== undefined) route.target.progress(message);
      else if (!this.ended.has(token)) return false;
      // Ours: keep it from the SDK, but not from fromTransport subscribers below us.
      const observers = existingObserverLink(this.transport);
      if (observers?.isBelow(this.link) === true) observers.deliver(message);
      return true;
    }
    const id = responseIdOf(message);
    if (id !== undefined) {
      const route = this.requests.get(id);
      if (route !== undefined) {
        // End first: progress read after the response (even in the same chunk) is late.
        this.end(route);
        route.target.response();
      }
    }
    return false;
  }

  close(): void {
    routers.delete(this.transport);
    this.link.intercept(undefined);
    const routes = [...this.tokens.values()];
    this.tokens.clear();
    this.requests.clear();
    for (const route of routes) {
      route.active = false;
      route.target.closed();
    }
  }
}
