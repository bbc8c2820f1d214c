import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import type { DestinationStream } from 'pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events';
import { MetricsModule } from './monitoring';
import { bullOptions } from './redis/bull-options';
import { RedisModule } from './redis/redis.module';
import { HttpRoleModule, WorkerRoleModule } from './roles';

export interface AppModuleOptions {
  config: AppConfig;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
}

/**
 * The monolith: the shared infrastructure once, then the roles this process runs (APP_ROLE):
 * `api` the HTTP role, `worker` the worker role, `all` both. See docs/architecture.md.
 */
@Module({})
export class AppModule {
  static forRoot({ config }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        EventsModule,
        BullModule.forRoot(bullOptions(config)),
        MetricsModule,
        ...(config.runsHttp ? [HttpRoleModule] : []),
        ...(config.runsWorkers ? [WorkerRoleModule] : []),
      ],
    };
  }
}
