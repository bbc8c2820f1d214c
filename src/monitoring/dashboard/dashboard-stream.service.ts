import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServerResponse } from 'node:http';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { TokenRevoked } from '../../auth';
import { AppConfig } from '../../config/app-config';
import { EventBus, EventsMissed, type EventChannel } from '../../events';
import { AliasMoved } from '../../registry';
import { TrainingProgress } from '../../training';
import { AlertChanged } from '../alerts/alert.event';
import { ResultsWritten } from '../results/results-written.event';
import { sseComment, sseFrame } from './sse-frame';
import { StreamClient } from './stream-client';
import { StreamRing } from './stream-ring';
import { TrafficTick } from './traffic-tick.event';

/** Open streams per process; past it a new one answers 503 (each costs a socket and up to 256 KiB). */
export const MAX_STREAMS = 1000;
/** The replay window (docs/architecture.md, "The dashboard's live stream"). */
export const RING_LIMITS = { maxEvents: 2000, maxAgeMs: 120_000 };
/** A client that has not read for this long is disconnected (it reconnects with a new ticket). */
const STUCK_MS = 60_000;

/**
 * The dashboard's live stream in this process: one subscription to each event the page shows,
 * each event framed once into the ring (for replays) and written to every open stream. Every
 * replica hears every replica's cluster events, so a stream on any replica shows them all.
 */
@Injectable()
export class DashboardStream implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DashboardStream.name);
  readonly ring = new StreamRing(randomBytes(6).toString('hex'), RING_LIMITS);
  /** The name this replica's streams and traffic ticks carry (two apps may share a process, as in the tests). */
  readonly replica = `${hostname()}:${process.pid}:${this.ring.bootId}`;
  private readonly clients = new Set<StreamClient>();
  private readonly unsubscribe: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.relay(AlertChanged, 'alert');
    this.relay(AliasMoved, 'alias');
    this.relay(TrainingProgress, 'training');
    this.relay(ResultsWritten, 'window');
    this.relay(TrafficTick, 'traffic');
    // Cluster events were lost while Redis was away: every page must refetch its ranges. The reset
    // is kept in the ring too, so a page that reconnects past it is told as well.
    this.unsubscribe.push(this.events.subscribe(EventsMissed, () => this.broadcast('reset', {})));
    this.unsubscribe.push(
      this.events.subscribe(TokenRevoked, (event) => {
        if (event.kind !== 'session') return;
        for (const c of this.clients) if (c.holder.sessionId === event.id) c.end();
      }),
    );
    this.heartbeat = setInterval(() => this.beat(), this.config.env.DASHBOARD_STREAM_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Open streams keep the HTTP server from closing: they end before Nest closes it. */
  beforeApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const off of this.unsubscribe.splice(0)) off();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  get openStreams(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= MAX_STREAMS;
  }

  /**
   * Starts a stream on a response whose headers are written: `hello`, then what the client missed
   * since `lastEventId` (or a `reset`), then every new event. All in one turn of the loop, so no
   * event falls between the replay and the live part.
   */
  attach(res: ServerResponse, holder: { userId: string; sessionId: string }, lastEventId?: string): StreamClient {
    const client = new StreamClient(res, holder, () => sseFrame('reset', this.ring.lastId, {}));
    client.send(sseFrame('hello', this.ring.lastId, { serverTime: new Date().toISOString(), replica: this.replica }));
    if (lastEventId !== undefined) {
      const replay = this.ring.since(lastEventId);
      if (replay.kind === 'reset') client.send(sseFrame('reset', this.ring.lastId, {}));
      else for (const e of replay.entries) client.send(e.frame);
    }
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    return client;
  }

  private relay<T>(channel: EventChannel<T>, event: string): void {
    this.unsubscribe.push(this.events.subscribe(channel, (payload) => this.broadcast(event, payload)));
  }

  private broadcast(event: string, payload: unknown): void {
    const { frame } = this.ring.append((id) => sseFrame(event, id, payload));
    for (const c of this.clients) c.send(frame);
  }

  private beat(): void {
    const frame = sseComment('heartbeat');
    for (const c of this.clients) {
      c.checkStuck(STUCK_MS);
      c.send(frame);
    }
    const skipping = [...this.clients].filter((c) => c.skipping).length;
    if (skipping) this.logger.debug({ streams: this.clients.size, skipping }, 'dashboard streams behind');
  }
}
