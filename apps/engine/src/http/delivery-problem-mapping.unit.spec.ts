import { ConflictException, NotFoundException } from '@nestjs/common';
import {
  ConsumerGroupConflictError,
  InvalidWebhookUrlError,
  UnknownConsumerGroupError,
  UnknownWebhookError,
  WebhookReplayElsewhereError,
} from '@rapport/application';
import { toProblem } from './problem-mapping';
import { RequestValidationError } from './request-validation.error';

// Webhooks and consumer groups throw the application's errors since they left the engine; their HTTP
// answers are the ones they gave when they threw Nest's HTTP exceptions and RequestValidationError.
describe('problem mapping of the downstream delivery refusals', () => {
  it('given an unknown webhook subscription, then 404 not-found naming it', () => {
    const error = new UnknownWebhookError('3f1c');
    expect(toProblem(error)).toEqual(toProblem(new NotFoundException('no webhook subscription 3f1c')));
    expect(toProblem(error)).toMatchObject({
      status: 404,
      type: 'https://rapport.dev/problems/not-found',
      detail: 'no webhook subscription 3f1c',
    });
  });

  it('given a replay on an instance that does not deliver the subscription, then 409 saying where to replay', () => {
    const error = new WebhookReplayElsewhereError(
      'the subscription is paused: resume it to replay its parked deliveries',
    );
    expect(toProblem(error)).toEqual(toProblem(new ConflictException(error.message)));
    expect(toProblem(error)).toMatchObject({ status: 409, title: 'Conflict', detail: error.message });
  });

  it('given a receiver url that breaks a rule, then 400 validation naming the url field and the rule', () => {
    const error = new InvalidWebhookUrlError('url.scheme', 'url must use https or http, not ftp');
    const before = new RequestValidationError([
      { field: 'url', rule: 'url.scheme', message: 'url must use https or http, not ftp' },
    ]);
    expect(toProblem(error)).toEqual(toProblem(before));
    expect(toProblem(error)).toMatchObject({
      status: 400,
      type: 'https://rapport.dev/problems/validation',
      detail: 'invalid request: url (url.scheme)',
      errors: [{ field: 'url', rule: 'url.scheme', message: 'url must use https or http, not ftp' }],
    });
  });

  it('given an unknown consumer group, then 404 not-found naming it', () => {
    const error = new UnknownConsumerGroupError('billing');
    expect(toProblem(error)).toEqual(toProblem(new NotFoundException('no consumer group billing')));
    expect(toProblem(error)).toMatchObject({ status: 404, detail: 'no consumer group billing' });
  });

  it('given a consumer group redefined or served by another instance, then 409 with the reason', () => {
    const error = new ConsumerGroupConflictError(
      'billing',
      'consumer group billing exists with another filter or partition count; delete it first',
    );
    expect(toProblem(error)).toEqual(toProblem(new ConflictException(error.message)));
    expect(toProblem(error)).toMatchObject({ status: 409, title: 'Conflict', detail: error.message });
  });
});
