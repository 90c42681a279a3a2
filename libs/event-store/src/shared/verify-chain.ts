import type { VerifyResult } from '../event-store.port';
import { eventHash, GENESIS_HASH, type HashableEvent } from '../hash-chain';

/** A stored event as read back for verification; `parse` may throw when the stored bytes are damaged. */
export interface RawChainLink {
  revision: number;
  parse(): HashableEvent;
}

/** Recomputes a stream's hash chain in order and names the first revision that does not match. */
export async function verifyChain(
  streamId: string,
  links: AsyncIterable<RawChainLink> | Iterable<RawChainLink>,
): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let events = 0;
  let expectedRevision = 0;
  for await (const link of links) {
    const broken = (reason: string): VerifyResult => ({
      ok: false,
      streamId,
      events: events + 1,
      brokenAt: link.revision,
      reason,
    });
    if (link.revision !== expectedRevision) return broken(`revision gap: expected ${expectedRevision}`);
    let event: HashableEvent;
    try {
      event = link.parse();
    } catch (error) {
      return broken(`stored bytes unreadable: ${(error as Error).message}`);
    }
    if (event.metadata.prevHash !== prevHash) return broken('prevHash does not match the previous hash');
    const hash = eventHash(prevHash, event);
    if (event.metadata.hash !== hash) return broken('hash does not match the stored bytes');
    prevHash = hash;
    events += 1;
    expectedRevision += 1;
  }
  return { ok: true, streamId, events };
}
