import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** What a {@link TransportLink} tells each of its listeners. @internal */
export interface LinkListener {
  message(message: JSONRPCMessage): void;
  close(): void;
  error(error: Error): void;
}

/**
 * What a {@link TransportLink} asks before passing a message down the chain: `true` consumes it
 * (the handlers below do not see it).
 *
 * @internal
 */
export interface LinkInterceptor {
  message(message: JSONRPCMessage): boolean;
  close(): void;
}

type SlotKey = 'onmessage' | 'onclose' | 'onerror';

/** Orders installations: a slot installed earlier and still linked is below one installed later. */
let installations = 0;

/**
 * One handler slot of a transport (`onmessage`, `onclose` or `onerror`) with our handler chained in
 * front of whatever was there.
 *
 * Installing remembers the previous handler (and whether it was an own property); releasing puts it
 * back exactly, but only while our handler is still the one installed: when someone chained after us
 * (the SDK's `Protocol.connect` does), removing ours would cut theirs off, so ours stays as a
 * pass-through that only calls the previous handler.
 */
class HandlerSlot<K extends SlotKey> {
  /** The installation order of this slot while it is linked; 0 when not linked. */
  order = 0;
  /** The handler found when installing. Kept after a release, so a stale call still passes through. */
  previous: Transport[K] = undefined;
  private hadOwn = false;

  constructor(
    private readonly transport: Transport,
    private readonly key: K,
    private readonly handler: NonNullable<Transport[K]>,
  ) {}

  install(): void {
    if (this.order !== 0) return;
    this.hadOwn = Object.prototype.hasOwnProperty.call(this.transport, this.key);
    this.previous = this.transport[this.key];
    this.transport[this.key] = this.handler;
    this.order = ++installations;
  }

  /** Unlinks if ours is the installed handler; returns whether the slot is now unlinked. */
  release(): boolean {
    if (this.order === 0) return true;
    if (this.transport[this.key] !== this.handler) return false;
    // An own property is put back as it was; a handler that came from the prototype shows through again.
    if (this.hadOwn) this.transport[this.key] = this.previous;
    else Reflect.deleteProperty(this.transport, this.key);
    this.order = 0;
    return true;
  }
}

/**
 * Our handlers chained into a transport's `onmessage`, `onclose` and `onerror`, shared by any number
 * of listeners, with an optional interceptor that may keep a message from the handlers below.
 *
 * Each handler calls the listeners (and the interceptor) first, then the handler it replaced, so a
 * connected SDK `Client` or `Server` keeps working. Listeners are held in a copy-on-write array:
 * one that leaves (or joins) while a message is delivered does not disturb that delivery.
 *
 * @internal
 */
export class TransportLink {
  private listeners: readonly LinkListener[] = [];
  private interceptor: LinkInterceptor | undefined = undefined;
  private readonly messageSlot: HandlerSlot<'onmessage'>;
  private readonly closeSlot: HandlerSlot<'onclose'>;
  private readonly errorSlot: HandlerSlot<'onerror'>;

  constructor(readonly transport: Transport) {
    this.messageSlot = new HandlerSlot(transport, 'onmessage', this.onMessage);
    this.closeSlot = new HandlerSlot(transport, 'onclose', this.onClose);
    this.errorSlot = new HandlerSlot(transport, 'onerror', this.onError);
  }

  /** Whether no listener and no interceptor is attached. */
  get isIdle(): boolean {
    return this.listeners.length === 0 && this.interceptor === undefined;
  }

  /** Whether every slot is unlinked (the transport's handlers are exactly as before this link). */
  get isUnlinked(): boolean {
    return this.messageSlot.order === 0 && this.closeSlot.order === 0 && this.errorSlot.order === 0;
  }

  /** Whether this link's `onmessage` is in the chain below `other`'s (it sees messages after it). */
  isBelow(other: TransportLink): boolean {
    const mine = this.messageSlot.order;
    return mine !== 0 && mine < other.messageSlot.order;
  }

  /** Adds a listener, linking the slots that are not linked. */
  add(listener: LinkListener): void {
    this.listeners = [...this.listeners, listener];
    this.link();
  }

  /** Removes a listener; the last one to leave unlinks what can be unlinked. */
  remove(listener: LinkListener): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
    if (this.isIdle) this.unlink();
  }

  /** Sets (or clears) the interceptor, linking the slots that are not linked. */
  intercept(interceptor: LinkInterceptor | undefined): void {
    this.interceptor = interceptor;
    if (interceptor !== undefined) this.link();
    else if (this.isIdle) this.unlink();
  }

  /** Gives a message to the listeners only (for a message that a link above consumed). */
  deliver(message: JSONRPCMessage): void {
    for (const listener of this.listeners) listener.message(message);
  }

  private link(): void {
    this.messageSlot.install();
    this.closeSlot.install();
    this.errorSlot.install();
  }

  private unlink(): void {
    this.messageSlot.release();
    this.closeSlot.release();
    this.errorSlot.release();
  }

  private readonly onMessage = (message: JSONRPCMessage, extra?: MessageExtraInfo): void => {
    // Read before delivering: a listener may unlink this slot re-entrantly.
    const previous = this.messageSlot.previous;
    this.deliver(message);
    if (this.interceptor?.message(message) === true) return;
    previous?.(message, extra);
  };

  private readonly onClose = (): void => {
    const previous = this.closeSlot.previous;
    this.interceptor?.close();
    for (const listener of this.listeners) listener.close();
    previous?.();
  };

  private readonly onError = (error: Error): void => {
    const previous = this.errorSlot.previous;
    for (const listener of this.listeners) listener.error(error);
    previous?.(error);
  };
}

const observers = new WeakMap<Transport, TransportLink>();

/**
 * The link that `fromTransport` subscriptions share on `transport` (one per transport), made on
 * first use. A link that could not unlink (someone chained after it) is kept and reused.
 *
 * @internal
 */
export const observerLinkOf = (transport: Transport): TransportLink => {
  let link = observers.get(transport);
  if (link === undefined) {
    link = new TransportLink(transport);
    observers.set(transport, link);
  }
  return link;
};

/** The observer link of `transport`, if one exists. @internal */
export const existingObserverLink = (transport: Transport): TransportLink | undefined =>
  observers.get(transport);

/** Forgets the observer link of `transport` once it is idle and unlinked. @internal */
export const forgetObserverLink = (link: TransportLink): void => {
  if (link.isIdle && link.isUnlinked && observers.get(link.transport) === link) {
    observers.delete(link.transport);
  }
};
