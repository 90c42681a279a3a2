import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type ReadPosition,
} from '@eventstore/db-client';
import { toEsdbPosition } from './esdb-mapping';

// Listing the streams of a category through the server's `$ce-<category>` stream (written by the
// `$by_category` system projection) instead of scanning `$all`: the links are read without their
// events, and a stream is named once, by the link to its first event, so nothing is remembered.

/** The category of a stream prefix as `$by_category` cuts it (before the first '-'), or null. */
export function categoryOf(prefix: string): string | null {
  const dash = prefix.indexOf('-');
  return dash > 0 ? prefix.slice(0, dash) : null;
}

const PAGE = 500;

/** A link event's data: `<revision>@<streamId>`. */
export function parseLink(data: Uint8Array | string | unknown): { revision: number; streamId: string } | null {
  const text = typeof data === 'string' ? data : data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : '';
  const at = text.indexOf('@');
  if (at <= 0) return null;
  const revision = Number(text.slice(0, at));
  return Number.isInteger(revision) ? { revision, streamId: text.slice(at + 1) } : null;
}

/** Thrown when `$ce-<category>` does not catch up with the events it should link (projection stopped or off). */
export class CategoryStreamLagError extends Error {
  override readonly name = 'CategoryStreamLagError';
}

export class EsdbCategoryReader {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly pageSize: number,
    /** How long a listing waits for `$ce-<category>` to link the events up to the position it lists to. */
    private readonly catchUpTimeoutMs = 30_000,
  ) {}

  /**
   * Streams whose id starts with `prefix`, in the order of their first event, through `$ce-<category>`;
   * null when the category stream does not exist (nothing of the category, or `$by_category` off).
   * Waits first until the category stream links every event of the category up to `upTo`.
   */
  async list(prefix: string, upTo: number): Promise<AsyncIterable<string> | null> {
    const category = categoryOf(prefix);
    if (category === null) return null;
    const stream = `$ce-${category}`;
    if (!(await this.caughtUp(category, upTo))) return null;
    return this.firstLinks(stream, prefix);
  }

  private async *firstLinks(stream: string, prefix: string): AsyncIterable<string> {
    let from: bigint | typeof START = START;
    for (;;) {
      let read = 0;
      let last = -1n;
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: from,
        direction: FORWARDS,
        maxCount: this.pageSize,
        resolveLinkTos: false,
      })) {
        read++;
        const link = resolved.event;
        if (!link) continue;
        last = link.revision;
        const target = parseLink(link.data);
        if (target && target.revision === 0 && target.streamId.startsWith(prefix)) yield target.streamId;
      }
      if (read < this.pageSize) return;
      from = last + 1n;
    }
  }

  /**
   * True once `$ce-<category>` links the last event of the category at or before `upTo`; false when
   * the category has no stream of links and no event (an empty category). Throws CategoryStreamLagError
   * when it has events but the links do not catch up within the timeout.
   */
  private async caughtUp(category: string, upTo: number): Promise<boolean> {
    const deadline = Date.now() + this.catchUpTimeoutMs;
    for (;;) {
      const linked = await this.lastLinkedPosition(`$ce-${category}`);
      const pending = await this.firstUnlinked(category, linked ?? 0, upTo);
      if (pending === null) return linked !== null;
      if (Date.now() > deadline)
        throw new CategoryStreamLagError(
          `$ce-${category} does not link event ${pending} after ${this.catchUpTimeoutMs} ms: is the $by_category system projection running?`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Position of the event the category stream's last link points to, or null when there is no such stream. */
  private async lastLinkedPosition(stream: string): Promise<number | null> {
    try {
      for await (const resolved of this.client.readStream(stream, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
        resolveLinkTos: true,
      })) {
        // The linked event's position; a link to a deleted event counts at its own (later) position.
        const commit = resolved.event?.position?.commit ?? resolved.link?.position?.commit ?? resolved.commitPosition;
        return commit === undefined ? 0 : Number(commit);
      }
      return 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  /**
   * An event of the category after `after` and at or before `upTo` (one the links do not reach yet),
   * or null. With no link yet (`after` 0) it scans back from `upTo`, where a new category's events are.
   */
  private async firstUnlinked(category: string, after: number, upTo: number): Promise<number | null> {
    const forwards = after > 0;
    let from: ReadPosition = forwards ? toEsdbPosition(after) : upTo > 0 ? toEsdbPosition(upTo) : END;
    for (;;) {
      let read = 0;
      let last: ReadPosition | null = null;
      const page: AsyncIterable<AllStreamResolvedEvent> = this.client.readAll({
        fromPosition: from,
        direction: forwards ? FORWARDS : BACKWARDS,
        maxCount: PAGE,
      });
      for await (const resolved of page) {
        read++;
        const event = resolved.event;
        if (!event) continue;
        const position = Number(event.position.commit);
        last = event.position;
        if (forwards && position > upTo) return null;
        if (position > after && position <= upTo && event.streamId.startsWith(`${category}-`)) return position;
      }
      if (read < PAGE || last === null) return null;
      from = last;
    }
  }
}
