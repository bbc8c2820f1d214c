import { Global, Module } from '@nestjs/common';
import { RedisService } from '../redis/redis.service';
import { EventBus } from './event-bus';
import { EventTransport } from './event-transport';

/** The EventBus for every module (global); cluster events travel over the app's Redis. */
@Global()
@Module({
  providers: [
    EventBus,
    { provide: EventTransport, useFactory: (redis: RedisService): EventTransport => redis, inject: [RedisService] },
  ],
  exports: [EventBus],
})
export class EventsModule {}
