import { Controller, Get, Headers, Inject, NotFoundException, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { emptyComplaintSla } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import {
  customerComplaintSla,
  getCustomerComplaintSla,
  type CustomerComplaintSlaView,
} from '@rapport/projections/complaint-sla/complaint-sla.query';
import type { ComplaintSlaPolicy } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { CustomerProfile } from '@rapport/projections/customer-profile/customer-profile.projection';
import { CustomerProfileQuery } from '@rapport/projections/customer-profile/customer-profile.query';
import { getCustomerValue, type CustomerValueView } from '@rapport/projections/customer-value/customer-value.query';
import { getLifecycle, type LifecycleView } from '@rapport/projections/lifecycle-stage/lifecycle-stage.query';
import { emptyPromiseFulfilment } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import {
  getCustomerPromises,
  promisesAt,
  type CustomerPromisesView,
} from '@rapport/projections/promise-fulfilment/promise-fulfilment.query';
import {
  emptySentimentTimeline,
  type SentimentTimelineDoc,
} from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { SentimentTimelineQuery } from '@rapport/projections/sentiment-timeline/sentiment-timeline.query';
import { roleOf } from '../audit/auditors';
import { ScoringService } from './scoring/scoring.service';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/roles.decorator';
import type { ApiRole } from '../auth/roles';
import { COMPLAINT_SLA_POLICY } from '../config/engine-config.module';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { CUSTOMER_COMPLAINTS_EXAMPLE } from './complaint-sla.examples';
import { PROJECTION_NAMES } from './engine-projections';
import { ProjectionsService } from './projections.service';
import { CustomerReadQueryDto } from './read-model-queries.dto';
import { minPositionOf } from './read-your-writes';
import { SealedDataRevealer } from '@rapport/application';

/** Who reads the per-customer read models; personal data is decrypted for auditors and admins only. */
export const CUSTOMER_READERS: ApiRole[] = ['agent', 'analyst', 'auditor', 'admin'];

@ApiTags('customers')
@ApiSecurity('api-key')
@Controller('customers/:id')
@Roles(...CUSTOMER_READERS)
export class CustomerReadModelsController {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
    @Inject(SealedDataRevealer) private readonly revealer: SealedDataRevealer,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLAINT_SLA_POLICY) private readonly complaintSlaPolicy: ComplaintSlaPolicy,
    @Inject(ScoringService) private readonly scoring: ScoringService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The customer 360: profile (personal data per role), touchpoint counts, open promises and complaints',
  })
  async profile(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<CustomerProfile> {
    const collection = await this.ready(PROJECTION_NAMES.customerProfile, query, header);
    const profile = found(await new CustomerProfileQuery(this.readStore, () => collection).byId(id), id);
    return this.revealer.revealProfile(roleOf(request), id, profile);
  }

  @Get('value')
  @ApiOperation({ summary: 'Value facts (orders, revenue, intervals) and the latest scores (RFM, tier, CLV)' })
  async value(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
  ): Promise<CustomerValueView> {
    await this.ready(PROJECTION_NAMES.customerValue, query, header);
    return found(await getCustomerValue(this.readStore, id, await this.projections.liveCollections()), id);
  }

  @Get('lifecycle')
  @ApiOperation({
    summary:
      'Lifecycle stage as of the current scoring run, with every transition dated in business time and its reason',
  })
  async lifecycle(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
  ): Promise<LifecycleView> {
    await this.ready(PROJECTION_NAMES.lifecycleStage, query, header);
    const history = await this.scoring.stageHistoryOf(id);
    return found(await getLifecycle(this.readStore, id, history, await this.projections.liveCollections()), id);
  }

  @Get('promises')
  @ApiOperation({ summary: 'Every promise with its status now (due soon, overdue, kept on time, ...) and the rates' })
  async promises(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<CustomerPromisesView> {
    await this.ready(PROJECTION_NAMES.promiseFulfilment, query, header);
    const collections = await this.projections.liveCollections();
    const now = this.clock.now().toISOString();
    const view = await getCustomerPromises(this.readStore, id, now, { collections });
    if (view === null) return promisesAt(emptyPromiseFulfilment((await this.known(id, query, header)).customerId), now);
    return this.revealer.reveal(roleOf(request), id, view);
  }

  @Get('complaints')
  @ApiOperation({
    summary:
      'Every complaint with its acknowledgement and resolution deadlines now (from the SLA policy), escalations, reopenings and recorded breaches',
  })
  @ApiOkResponse({
    description: "the customer's complaints in filing order",
    schema: { type: 'object', example: CUSTOMER_COMPLAINTS_EXAMPLE },
  })
  async complaints(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
  ): Promise<CustomerComplaintSlaView> {
    const collection = await this.ready(PROJECTION_NAMES.complaintSla, query, header);
    const now = this.clock.now().toISOString();
    const view = await getCustomerComplaintSla(this.readStore, collection, id, now, this.complaintSlaPolicy);
    if (view !== null) return view;
    const { customerId, erased, erasedAt } = await this.known(id, query, header);
    return customerComplaintSla({ ...emptyComplaintSla(customerId), erased, erasedAt }, now, this.complaintSlaPolicy);
  }

  @Get('sentiment')
  @ApiOperation({ summary: 'Every scored moment in time order, rolling mean, peak and end, trend and drop' })
  async sentiment(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
  ): Promise<SentimentTimelineDoc> {
    const collection = await this.ready(PROJECTION_NAMES.sentimentTimeline, query, header);
    const timeline = await new SentimentTimelineQuery(this.readStore, collection).customer(id);
    if (timeline !== null) return timeline;
    const { customerId, erased, erasedAt } = await this.known(id, query, header);
    return { ...emptySentimentTimeline(customerId), erased, erasedAt };
  }

  /**
   * A customer without a document in some read model has had nothing it folds (no promise yet): known
   * customers get an empty view, unknown ones 404. Known means the profile read model has them.
   */
  private async known(id: string, query: CustomerReadQueryDto, header: string | undefined): Promise<CustomerProfile> {
    const collection = await this.ready(PROJECTION_NAMES.customerProfile, query, header);
    return found(await new CustomerProfileQuery(this.readStore, () => collection).byId(id), id);
  }

  /** The live collection of `projection`, after waiting for the position the caller asked to see. */
  private async ready(projection: string, query: CustomerReadQueryDto, header: string | undefined): Promise<string> {
    const position = minPositionOf(query['min-position'], header);
    if (position !== undefined) await this.projections.waitFor(projection, position);
    return this.projections.liveCollection(projection);
  }
}

function found<T>(doc: T | null, id: string): T {
  if (doc === null) throw new NotFoundException(`no read model for customer ${id}`);
  return doc;
}
