// Paging a customer's stream newest first (no imports: unit-tested in Node). The history route pages
// forward by revision, so the console finds the stream's end once and pages backwards from it.

/**
 * The last revision of a stream, given `exists(revision)` (true when the stream has an event there) and
 * a revision known to exist: doubling steps past it, then halving. About 2·log2(n) calls.
 */
export async function lastRevision(exists, known = 0) {
  let low = known;
  let step = 1;
  let high = null;
  while (high === null) {
    const candidate = low + step;
    if (await exists(candidate)) {
      low = candidate;
      step *= 2;
    } else high = candidate;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Page `page` (0 = newest) of a stream of `total` events, `size` a page: the revisions it holds
 * (`from` ≤ `to`, shown from `to` down) and how many pages there are.
 */
export function newestFirstPage(total, size, page) {
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const to = total - 1 - current * size;
  const from = Math.max(0, to - size + 1);
  return { page: current, pages, from, to, count: Math.max(0, to - from + 1) };
}

/** The page (0 = newest) that shows `revision`. */
export function pageOfRevision(total, size, revision) {
  const clamped = Math.min(Math.max(0, revision), Math.max(0, total - 1));
  return Math.floor((total - 1 - clamped) / size);
}

/** Whether an event is left out of a replay as of `asOf` (business time) known at `knownAt` (recording time). */
export function outsideReplay(event, asOf, knownAt) {
  const occurred = Date.parse(event?.metadata?.occurredAt ?? '');
  const recorded = Date.parse(event?.metadata?.recordedAt ?? '');
  if (asOf && Number.isFinite(occurred) && occurred > Date.parse(asOf)) return 'afterAsOf';
  if (knownAt && Number.isFinite(recorded) && recorded > Date.parse(knownAt)) return 'afterKnownAt';
  return null;
}
