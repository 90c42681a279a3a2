import { Controller, Get, Inject, NotFoundException, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AsOfStateService, PersonalDataReader, type AsOfState } from '@rapport/application';
import { customerStreamId } from '@rapport/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@rapport/event-store';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/roles.decorator';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { AsOfQueryDto, HistoryQueryDto } from './audit-queries.dto';
import { AUDITORS, roleOf } from './auditors';

export interface HistoryPage {
  customerId: string;
  streamId: string;
  /** Each event as stored (revision order), personal data decrypted, or `[erased]` after erasure. */
  events: StoredEvent[];
  /** `cursor` of the next page; null on the last page. */
  nextCursor: number | null;
}

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit/customers/:id')
@Roles(...AUDITORS)
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PersonalDataReader) private readonly personalData: PersonalDataReader,
    @Inject(AsOfStateService) private readonly asOfState: AsOfStateService,
  ) {}

  @Get('history')
  @ApiOperation({ summary: "A customer's events in order, paged by revision, with all their metadata" })
  async history(
    @Param() { id }: CustomerParams,
    @Query() query: HistoryQueryDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<HistoryPage> {
    const streamId = customerStreamId(id);
    const limit = query.limit ?? 100;
    const page: StoredEvent[] = [];
    for await (const event of this.store.readStream(streamId, { fromRevision: query.cursor ?? 0, maxCount: limit + 1 }))
      page.push(event);
    if (page.length === 0 && (await this.store.streamRevision(streamId)) === null)
      throw new NotFoundException(`customer ${id} has no events`);
    const more = page.length > limit;
    const events = more ? page.slice(0, limit) : page;
    const view = await this.personalData.viewFor(roleOf(request), id);
    return {
      customerId: id,
      streamId,
      events: events.map((event) => this.personalData.apply(view, event)),
      nextCursor: more ? events[events.length - 1]!.revision + 1 : null,
    };
  }

  @Get('state')
  @ApiOperation({
    summary: 'The customer as it was at business time `asOf`, from what was recorded by `knownAt`',
    description:
      'Decider state and every per-customer read model, replayed from the stream. Population- and clock-dependent scores are not included.',
  })
  async state(
    @Param() { id }: CustomerParams,
    @Query() query: AsOfQueryDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<AsOfState> {
    const state = await this.asOfState.stateOf(id, roleOf(request), query.asOf, query.knownAt);
    if (!state) throw new NotFoundException(`customer ${id} has no events`);
    return state;
  }
}
