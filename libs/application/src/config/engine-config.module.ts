import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { complaintSlaPolicyOf, EngineConfig } from './engine-config';

/** The complaint SLA policy the configuration sets, built once. */
export const COMPLAINT_SLA_POLICY = Symbol('COMPLAINT_SLA_POLICY');

/** Makes the validated configuration injectable, as `EngineConfig` and through `ConfigService`, and the policies it sets. */
@Global()
@Module({})
export class EngineConfigModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: EngineConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [() => ({ ...config, engine: config })],
        }),
      ],
      providers: [
        {
          provide: EngineConfig,
          useFactory: (configService: ConfigService) => configService.getOrThrow<EngineConfig>('engine'),
          inject: [ConfigService],
        },
        { provide: COMPLAINT_SLA_POLICY, useValue: complaintSlaPolicyOf(config) },
      ],
      exports: [EngineConfig, COMPLAINT_SLA_POLICY],
    };
  }
}
