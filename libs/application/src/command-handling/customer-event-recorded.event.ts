import type { CustomerEvent } from '@rapport/domain';

/** Published on the EventBus after an append, for in-process reactions (plaintext: memory only). */
export class CustomerEventRecorded {
  constructor(
    readonly event: CustomerEvent,
    readonly streamId: string,
    readonly revision: number,
    readonly position: number,
  ) {}
}
