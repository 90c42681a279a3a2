import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { EngineConfig } from './config/engine-config';
import { EngineConfigModule } from './config/engine-config.module';
import { HealthModule } from './health/health.module';
import { PersistenceModule } from './infrastructure/persistence.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { MetricsModule } from './metrics/metrics.module';
import { StreamsModule } from './streams/streams.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';

/** The engine: configuration, persistence, auth, then one module per area of the API. */
@Module({})
export class AppModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EngineConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Request lines at debug: at info they would cost a log write per command under load.
            customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
            // A small request summary, built only when a line is written (never the key headers).
            serializers: { req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
          },
        }),
        PersistenceModule.forRoot(),
        AuthModule,
        MetricsModule,
        HealthModule,
        // PROJECTOR_ROLE=only is a projector worker: projections, scoring and their admin API, no commands.
        ...(config.PROJECTOR_ROLE === 'only' ? [] : [TouchpointsModule, AuditModule, StreamsModule, ConsoleModule]),
        ReadModelsModule,
      ],
    };
  }
}
