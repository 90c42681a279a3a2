/** Published on the EventBus after every scoring run, scheduled or on demand (for metrics). */
export class ScoringRunFinished {
  constructor(
    readonly outcome: 'succeeded' | 'failed',
    readonly durationSeconds: number,
    /** Wall-clock time the run ended. */
    readonly finishedAt: Date,
  ) {}
}
