// What webhook subscriptions refuse; the HTTP edge maps each to its status (problem-mapping.ts).

/** 404: no webhook subscription with that id. */
export class UnknownWebhookError extends Error {
  override readonly name = 'UnknownWebhookError';
  constructor(readonly id: string) {
    super(`no webhook subscription ${id}`);
  }
}

/** 409: this instance does not deliver the subscription (delivery off, paused, or leased elsewhere), so cannot replay it. */
export class WebhookReplayElsewhereError extends Error {
  override readonly name = 'WebhookReplayElsewhereError';
}

/** 400: the subscription's url breaks a rule (scheme, credentials, fragment...); a field error on `url`. */
export class InvalidWebhookUrlError extends Error {
  override readonly name = 'InvalidWebhookUrlError';
  readonly field = 'url';
  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`invalid request: url (${rule})`);
  }
}
