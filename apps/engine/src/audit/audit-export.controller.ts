import type { KeyObject } from 'node:crypto';
import { Controller, Get, Inject, Logger, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { signedExportLines } from '@rapport/audit';
import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { CLOCK, type Clock } from '@rapport/application';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { AUDITORS } from './auditors';
import { EXPORT_SIGNING_KEY } from './export-signing-key.provider';
import { writeOrWait } from './raw-response';

/**
 * Signed NDJSON exports (format in `@rapport/audit`), streamed from storage page by page with
 * backpressure: memory stays flat whatever the size of the store. `rapport verify-export` checks them.
 */
@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit')
@Roles(...AUDITORS)
export class AuditExportController {
  private readonly logger = new Logger(AuditExportController.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EXPORT_SIGNING_KEY) private readonly signingKey: KeyObject,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('customers/:id/export')
  @ApiOperation({ summary: "One customer's stream as a signed NDJSON export (personal data stays encrypted)" })
  @ApiProduces('application/x-ndjson')
  async customerExport(@Param() { id }: CustomerParams, @Res() reply: FastifyReply): Promise<void> {
    const streamId = customerStreamId(id);
    if ((await this.store.streamRevision(streamId)) === null)
      throw new NotFoundException(`customer ${id} has no events`);
    await this.send(reply, this.store.readStream(streamId), { customerId: id }, `rapport-export-customer-${id}`);
  }

  @Get('export')
  @ApiOperation({ summary: 'Every customer stream as one signed NDJSON export, streamed' })
  @ApiProduces('application/x-ndjson')
  async storeExport(@Res() reply: FastifyReply): Promise<void> {
    await this.send(
      reply,
      this.store.readAll({ filter: { streamPrefixes: [CUSTOMER_STREAM_PREFIX] } }),
      {},
      'rapport-export',
    );
  }

  private async send(
    reply: FastifyReply,
    events: AsyncIterable<StoredEvent>,
    scope: { customerId?: string },
    name: string,
  ): Promise<void> {
    const createdAt = this.clock.now().toISOString();
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${createdAt.replace(/[:.]/g, '')}.ndjson"`,
      'cache-control': 'no-store',
    });
    try {
      for await (const line of signedExportLines(events, { privateKey: this.signingKey, createdAt, scope })) {
        if (!(await writeOrWait(raw, line))) return; // the client went away: stop reading the store
      }
      raw.end();
    } catch (error) {
      // Headers are gone: cut the response so the file is visibly incomplete (it will not verify).
      this.logger.error(`export failed: ${(error as Error).message}`);
      raw.destroy(error as Error);
    }
  }
}
