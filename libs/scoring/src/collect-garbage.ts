import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Below this heap V8's own collections keep a job's peak small: a full collection would only cost time. */
export const WORTH_COLLECTING_BYTES = 256 * 1024 * 1024;

/**
 * A full garbage collection now, once the heap holds more than `worthFrom` bytes, for a long job between
 * its phases: V8 lets a phase's garbage fill the old generation (a scoring run's read and model fits,
 * ~300 MB at 400,000 customers) long before it collects, so the job's peak memory would follow its
 * garbage rather than its live data. Exposed once the way Jest's --logHeapUsage does (`--expose-gc`
 * set at run time, `gc` taken from a fresh context).
 */
export function collectGarbage(worthFrom = WORTH_COLLECTING_BYTES): void {
  if (process.memoryUsage().heapUsed < worthFrom) return;
  if (gc === undefined) {
    if (typeof globalThis.gc === 'function') gc = globalThis.gc as () => void;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc();
}
