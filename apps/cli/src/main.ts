import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { InvalidConfigError, validateEngineConfig, type EngineConfig } from '@rapport/application';
import { cliVersion, planCli, usage } from './cli-arguments';
import { CliModule } from './cli.module';

/** `rapport <command>`: exit 0 ok, 1 verification failed, 2 usage or configuration error, 3 some lines refused. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  process.argv[1] = 'rapport'; // commander names the program after this in help and errors
  // The arguments are read before anything is opened: help, the version and a typo create no data folder.
  const plan = planCli(args);
  if (plan.kind === 'version') {
    process.stdout.write(`${cliVersion()}\n`);
    return;
  }
  if (plan.kind === 'unknown') {
    process.stderr.write(`rapport: unknown command '${plan.command}'\n${usage()}`);
    process.exit(2);
  }
  let config: EngineConfig;
  try {
    // Help is printed by commander from the registered commands, over stores that live in memory.
    const env = plan.kind === 'help' ? { ...process.env, ...IN_MEMORY } : process.env;
    config = validateEngineConfig(env);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  // Start-up notes (development keys...) are warnings: scripts asking for --json or --quiet get errors only.
  const logLevels: LogLevel[] = args.some((a) => a === '--json' || a === '--quiet' || a === '-q')
    ? ['error']
    : ['error', 'warn'];
  await CommandFactory.run(CliModule.forRoot({ ...config, LOG_LEVEL: 'warn' } as typeof config), {
    cliName: 'rapport',
    // Colours only on a terminal: a log file or a pipe gets plain text.
    logger: new ConsoleLogger({ logLevels, colors: Boolean(process.stderr.isTTY) && !process.env['NO_COLOR'] }),
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

const IN_MEMORY = {
  EVENT_STORE: 'memory',
  READ_STORE: 'memory',
  KEY_STORE: 'memory',
  MASTER_KEY: randomBytes(32).toString('hex'),
  EXPORT_SIGNING_KEY: '',
};

void main();
