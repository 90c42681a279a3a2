import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { EngineConfig } from './config/engine-config';
import { EngineConfigModule } from './config/engine-config.module';
import { HealthModule } from './health/health.module';
import { PersistenceModule } from './infrastructure/persistence.module';
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
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
          },
        }),
        PersistenceModule.forRoot(),
        AuthModule,
        MetricsModule,
        HealthModule,
        TouchpointsModule,
        AuditModule,
        StreamsModule,
      ],
    };
  }
}
