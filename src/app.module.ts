import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DataModule } from './data';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events';
import { HealthModule } from './health/health.module';
import { InferenceModule } from './inference';
import { MetricsModule } from './monitoring';
import { RedisModule } from './redis/redis.module';
import { TrainingModule } from './training';
import { RegistryModule } from './registry';

export interface AppModuleOptions {
  config: AppConfig;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
}

/**
 * The monolith. Feature modules decide from `config.runsHttp` / `config.runsWorkers` whether to
 * register controllers, queue processors and schedulers (APP_ROLE, see DESIGN.md).
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
        BullModule.forRoot({ url: config.env.REDIS_URL, prefix: `${config.env.REDIS_PREFIX}:bull` }),
        HealthModule,
        MetricsModule,
        AuthModule,
        RegistryModule.forRoot(config),
        DataModule.forRoot(config),
        TrainingModule.register(config),
        InferenceModule.register(config),
      ],
    };
  }
}
