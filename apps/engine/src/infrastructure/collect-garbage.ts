import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now, for a long job between its phases: V8 lets a phase's garbage fill the
 * old generation (a scoring run's read and model fits, ~300 MB at 400,000 customers) long before it
 * collects, so the job's peak memory would follow its garbage rather than its live data. Exposed once
 * the way Jest's --logHeapUsage does (`--expose-gc` set at run time, `gc` taken from a fresh context).
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    if (typeof globalThis.gc === 'function') gc = globalThis.gc as () => void;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc();
}
