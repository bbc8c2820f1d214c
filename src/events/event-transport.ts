/**
 * How cluster events reach the other replicas (bound to RedisService in EventsModule). Messages
 * are opaque strings; the bus does the encoding and the checking.
 */
export abstract class EventTransport {
  /** Sends to every process listening on this transport, this one included. */
  abstract publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` with every message on every channel from now on; resolves once listening. */
  abstract subscribeAll(listener: (channel: string, message: string) => void): Promise<void>;
  /** Calls `listener` each time the subscription comes back after it was lost: what was sent meanwhile is missed. */
  abstract onResubscribed(listener: () => void): void;
}
