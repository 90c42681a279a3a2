import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { ConsumerGroupsModule } from './consumer-groups/consumer-groups.module';
import { AlertsModule, EngineConfig, EngineConfigModule, PersistenceModule } from '@rapport/application';
import { HealthModule } from './health/health.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { MetricsModule } from './metrics/metrics.module';
import { StreamsModule } from './streams/streams.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';
import { WorklistModule } from './worklist/worklist.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The engine: configuration, persistence, auth, then one module per area of the API. */
@Module({})
export class AppModule {
  static forRoot(config: EngineConfig, logger: PinoLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EngineConfigModule.forRoot(config),
        // Nest's logger on the engine's pino logger; request lines come from Fastify (EngineLogController), so
        // nestjs-pino's per-request middleware is left out.
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
        PersistenceModule.forRoot(),
        AuthModule,
        MetricsModule,
        HealthModule,
        // PROJECTOR_ROLE=only is a projector worker: projections, scoring and their admin API, no commands.
        ...(config.PROJECTOR_ROLE === 'only'
          ? []
          : [TouchpointsModule, AuditModule, StreamsModule, WebhooksModule, ConsumerGroupsModule, ConsoleModule]),
        ReadModelsModule,
        WorklistModule,
        AlertsModule,
      ],
    };
  }
}
