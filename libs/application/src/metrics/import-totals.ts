/** Where `rapport import` (its own process) leaves its running totals for the engine's /metrics. */
export const IMPORT_TOTALS_KEY = 'metrics:imports';

export interface ImportTotals {
  runs: number;
  commands: number;
  recorded: number;
  events: number;
  duplicates: number;
  refused: number;
  seconds: number;
  lastFinishedAt: string | null;
}

export interface ImportRun {
  commands: number;
  recorded: number;
  events: number;
  duplicates: number;
  rejected: number;
  elapsedMs: number;
}

/** The totals with one more import run added. */
export function addImportRun(totals: ImportTotals | null, run: ImportRun, finishedAt: Date): ImportTotals {
  const base: ImportTotals = totals ?? {
    runs: 0,
    commands: 0,
    recorded: 0,
    events: 0,
    duplicates: 0,
    refused: 0,
    seconds: 0,
    lastFinishedAt: null,
  };
  return {
    runs: base.runs + 1,
    commands: base.commands + run.commands,
    recorded: base.recorded + run.recorded,
    events: base.events + run.events,
    duplicates: base.duplicates + run.duplicates,
    refused: base.refused + run.rejected,
    seconds: base.seconds + run.elapsedMs / 1000,
    lastFinishedAt: finishedAt.toISOString(),
  };
}
