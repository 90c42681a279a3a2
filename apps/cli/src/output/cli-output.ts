import { SingleBar, Presets } from 'cli-progress';

/** How a command talks: human text with progress bars, `--quiet` (errors and the summary line only), or `--json`. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

export interface Progress {
  update(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, setTotal: () => undefined, stop: () => undefined };

/** A progress bar on stderr when a person is watching; nothing for scripts, JSON or quiet runs. */
export function progressBar(options: OutputOptions, label: string, total: number, unit = 'items'): Progress {
  if (options.json || options.quiet || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left {detail}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update: (value, payload) => bar.update(value, payload),
    setTotal: (t) => bar.setTotal(t),
    stop: () => bar.stop(),
  };
}

/** Prints the result: JSON on stdout for `--json`, else the human lines. */
export function printResult(options: OutputOptions, result: unknown, human: () => string[]): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const line of human()) process.stdout.write(`${line}\n`);
}

/** A note for people (stderr), silenced by `--quiet` and `--json`. */
export function note(options: OutputOptions, message: string): void {
  if (!options.json && !options.quiet) process.stderr.write(`${message}\n`);
}

export const parseBoolean = (): boolean => true;

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, found "${value}"`);
    return n;
  };
}

export function parseIsoTime(name: string) {
  return (value: string): string => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`--${name} must be an ISO-8601 date or time, found "${value}"`);
    return new Date(ms).toISOString();
  };
}
