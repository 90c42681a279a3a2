import { CUSTOMER_STREAM_PREFIX, upcast, type Role } from '@rapport/domain';
import type { StoredEvent } from '@rapport/event-store';
import type { PersonalDataReader, PersonalDataView } from '../personal-data/personal-data-reader';
import type { StreamedEvent } from './streamed-event';

/** Customers whose personal-data view a presenter remembers. */
const CACHED_VIEWS = 1000;
/**
 * How long a view is trusted: a customer erased meanwhile reads `[erased]` from then on, even on a feed
 * whose filter never shows it the CustomerErased event (long-lived feeds: SSE channels, webhooks, groups).
 */
export const VIEW_TTL_MS = 1000;

/**
 * The one delivered shape of an event for every channel (SSE, webhooks, consumer groups): personal
 * data per role (plaintext, `[erased]` or `[redacted]`), then upcast to the current schema. One
 * presenter per feed: it caches each customer's personal-data view.
 */
export class EventPresenter {
  private readonly views = new Map<string, { view: PersonalDataView; until: number }>();

  constructor(
    private readonly personalData: PersonalDataReader,
    readonly role: Role,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async present(stored: StoredEvent): Promise<StreamedEvent> {
    const customerId = stored.streamId.slice(CUSTOMER_STREAM_PREFIX.length);
    const cached = this.views.get(customerId);
    let view = cached && cached.until > this.now() ? cached.view : undefined;
    if (!view) {
      view = await this.personalData.viewFor(this.role, customerId);
      if (this.views.size >= CACHED_VIEWS) this.views.clear();
      this.views.set(customerId, { view, until: this.now() + VIEW_TTL_MS });
    }
    const visible = this.personalData.apply(view, stored);
    // After an erasure the key is gone: look it up again for what follows.
    if (stored.type === 'CustomerErased') this.views.delete(customerId);
    let shaped: StoredEvent = visible;
    try {
      const current = upcast(visible);
      shaped = {
        ...visible,
        data: current.data as unknown as Record<string, unknown>,
        metadata: current.metadata as unknown as StoredEvent['metadata'],
      };
    } catch {
      // an event type this build does not know: delivered as stored
    }
    return {
      streamId: shaped.streamId,
      revision: shaped.revision,
      position: shaped.position,
      type: shaped.type,
      data: shaped.data,
      metadata: shaped.metadata,
    };
  }
}
