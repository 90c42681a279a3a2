import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EngineConfig } from './engine-config';

/** Makes the validated configuration injectable, as `EngineConfig` and through `ConfigService`. */
@Global()
@Module({})
export class EngineConfigModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: EngineConfigModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, load: [() => ({ ...config, engine: config })] }),
      ],
      providers: [{ provide: EngineConfig, useFactory: (configService: ConfigService) => configService.getOrThrow<EngineConfig>('engine'), inject: [ConfigService] }],
      exports: [EngineConfig],
    };
  }
}
