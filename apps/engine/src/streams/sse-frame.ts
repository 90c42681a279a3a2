import type { StreamedEvent } from '@rapport/application';

/** The JSON in an SSE `data:` field is a StreamedEvent (the presenter's output, shared with webhooks). */
export type { StreamedEvent };

/** One SSE message: `id` is the global position (what `Last-Event-ID` resumes from), `event` the type. */
export function sseFrame(event: StreamedEvent): string {
  const payload: StreamedEvent = {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  };
  // JSON.stringify escapes newlines inside strings, so the payload is always one `data:` line.
  return `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export const heartbeatFrame = (): string => ': heartbeat\n\n';

/** Sent first: the reconnection delay clients should use, and a comment that opens the stream. */
export const openingFrame = (retryMs: number, from: number): string =>
  `retry: ${retryMs}\n: streaming after position ${from}\n\n`;
