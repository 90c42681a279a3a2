import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The commands `CliModule` registers; checked before any store is opened. */
export const CLI_COMMANDS = [
  'import',
  'simulate',
  'rebuild',
  'replay',
  'verify',
  'verify-export',
  'export',
  'webhooks',
] as const;

/** What to do with the arguments before the stores are opened. */
export type CliPlan =
  | { kind: 'version' }
  /** Help only: commander prints it, over stores that live in memory. */
  | { kind: 'help' }
  | { kind: 'unknown'; command: string }
  | { kind: 'run' };

export function planCli(args: readonly string[]): CliPlan {
  const command = args.find((a) => !a.startsWith('-'));
  if (command === undefined && (args.includes('--version') || args.includes('-V'))) return { kind: 'version' };
  if (command === undefined || command === 'help' || args.includes('--help') || args.includes('-h')) {
    if (command !== undefined && command !== 'help' && !isCliCommand(command)) return { kind: 'unknown', command };
    return { kind: 'help' };
  }
  return isCliCommand(command) ? { kind: 'run' } : { kind: 'unknown', command };
}

const isCliCommand = (name: string): boolean => (CLI_COMMANDS as readonly string[]).includes(name);

export const usage = (): string =>
  `Usage: rapport <command> [options]\n\nCommands: ${CLI_COMMANDS.join(', ')}\n` +
  'Run `rapport <command> --help` for its options, `rapport --version` for the version.\n';

/** The version in the package.json above this file (from source or from dist/), else above the working directory. */
export function cliVersion(starts = [__dirname, process.cwd()]): string {
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'rapport' && pkg.version) return pkg.version;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return 'unknown';
}
