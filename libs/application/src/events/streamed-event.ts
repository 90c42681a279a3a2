/** An event as every feed delivers it (SSE `data:`, webhook body, consumer-group fetch): the event in its current schema, with its place in the store. */
export interface StreamedEvent {
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
