import type { ServerResponse } from 'node:http';

/**
 * Writes to a raw Node response, waiting while the socket is not draining (backpressure). Resolves
 * false once the client has gone, so the producer stops pulling.
 */
export async function writeOrWait(raw: ServerResponse, chunk: string): Promise<boolean> {
  if (raw.destroyed || raw.writableEnded) return false;
  if (raw.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (open: boolean): void => {
      raw.off('drain', onDrain);
      raw.off('close', onClose);
      resolve(open);
    };
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    raw.on('drain', onDrain);
    raw.on('close', onClose);
  });
}
