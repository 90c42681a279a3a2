import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { InvalidConfigError, validateEngineConfig } from '../../engine/src/config/engine-config';
import { CliModule } from './cli.module';

/** `rapport <command>`: exit 0 ok, 1 verification failed, 2 usage or configuration error, 3 some lines refused. */
async function main(): Promise<void> {
  process.argv[1] = 'rapport'; // commander names the program after this in help and errors
  let config;
  try {
    config = validateEngineConfig(process.env);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  await CommandFactory.run(CliModule.forRoot({ ...config, LOG_LEVEL: 'warn' } as typeof config), {
    cliName: 'rapport',
    // Start-up notes (development keys...) are warnings: scripts asking for --json or --quiet get errors only.
    logger: process.argv.some((a) => a === '--json' || a === '--quiet' || a === '-q') ? ['error'] : ['error', 'warn'],
    errorHandler: (error) => {
      // commander's own exits (help, version, usage errors) arrive here with their exit code.
      const code = (error as { exitCode?: number }).exitCode;
      if (code === 0) process.exit(0);
      process.exit(code ?? 2);
    },
    serviceErrorHandler: (error) => {
      process.stderr.write(`rapport: ${error.message}\n`);
      process.exitCode = 2;
    },
  });
}

void main();
