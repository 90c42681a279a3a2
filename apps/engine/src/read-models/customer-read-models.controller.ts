import { Controller, Get, Headers, Inject, NotFoundException, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { ReadModel, ReadModelSource } from '@rapport/projection-engine';
import { customerValueOf, type CustomerValueView } from '@rapport/analytics';
import { emptyComplaintSla } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import {
  customerComplaintSla,
  type CustomerComplaintSlaView,
} from '@rapport/projections/complaint-sla/complaint-sla.query';
import type { ComplaintSlaPolicy } from '@rapport/projections/complaint-sla/complaint-sla-policy';
import type { CustomerProfile } from '@rapport/projections/customer-profile/customer-profile.projection';
import { revealCustomerProfile } from '@rapport/projections/customer-profile/customer-profile.reveal';
import type { LifecycleView } from '@rapport/projections/lifecycle-facts/lifecycle-facts.query';
import { emptyPromiseFulfilment } from '@rapport/projections/promise-fulfilment/promise-fulfilment.projection';
import {
  promisesAt,
  type CustomerPromisesView,
} from '@rapport/projections/promise-fulfilment/promise-fulfilment.query';
import { READ_MODELS } from '@rapport/projections/read-models';
import {
  emptySentimentTimeline,
  type SentimentTimelineDoc,
} from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { roleOf } from '../audit/auditors';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/roles.decorator';
import type { ApiRole } from '../auth/roles';
import {
  COMPLAINT_SLA_POLICY,
  CLOCK,
  type Clock,
  SealedDataRevealer,
  ProjectionsService,
  ScoringService,
} from '@rapport/application';
import { CustomerParams } from '../touchpoints/shared/customer.params';
import { CUSTOMER_COMPLAINTS_EXAMPLE } from './complaint-sla.examples';
import { CustomerReadQueryDto } from './read-model-queries.dto';
import { minPositionOf } from './read-your-writes';

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
    const source = await this.ready(READ_MODELS.customerProfile, query, header);
    const profile = found(await READ_MODELS.customerProfile.query.profileOf(source, { customerId: id }), id);
    const view = await this.revealer.viewFor(roleOf(request), id);
    return revealCustomerProfile(profile, { open: (value) => this.revealer.revealWith(view, value) });
  }

  @Get('value')
  @ApiOperation({ summary: 'Value facts (orders, revenue, intervals) and the latest scores (RFM, tier, CLV)' })
  async value(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
  ): Promise<CustomerValueView> {
    const source = await this.ready(READ_MODELS.customerValue, query, header);
    const { analyticsCustomers: scoredIn } = await this.projections.liveCollections();
    return found(await customerValueOf(source, { customerId: id, scoredIn }), id);
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
    const source = await this.ready(READ_MODELS.lifecycleStage, query, header);
    const history = await this.scoring.stageHistoryOf(id);
    return found(await READ_MODELS.lifecycleStage.query.lifecycleOf(source, { customerId: id, history }), id);
  }

  @Get('promises')
  @ApiOperation({ summary: 'Every promise with its status now (due soon, overdue, kept on time, ...) and the rates' })
  async promises(
    @Param() { id }: CustomerParams,
    @Query() query: CustomerReadQueryDto,
    @Headers('min-position') header: string | undefined,
    @Req() request: AuthenticatedRequest,
  ): Promise<CustomerPromisesView> {
    const source = await this.ready(READ_MODELS.promiseFulfilment, query, header);
    const now = this.clock.now().toISOString();
    const view = await READ_MODELS.promiseFulfilment.query.promisesOf(source, { customerId: id, now });
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
    const source = await this.ready(READ_MODELS.complaintSla, query, header);
    const now = this.clock.now().toISOString();
    const policy = this.complaintSlaPolicy;
    const view = await READ_MODELS.complaintSla.query.complaintSlaOf(source, { customerId: id, now, policy });
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
    const source = await this.ready(READ_MODELS.sentimentTimeline, query, header);
    const timeline = await READ_MODELS.sentimentTimeline.query.sentimentOf(source, { customerId: id });
    if (timeline !== null) return timeline;
    const { customerId, erased, erasedAt } = await this.known(id, query, header);
    return { ...emptySentimentTimeline(customerId), erased, erasedAt };
  }

  /**
   * A customer without a document in some read model has had nothing it folds (no promise yet): known
   * customers get an empty view, unknown ones 404. Known means the profile read model has them.
   */
  private async known(id: string, query: CustomerReadQueryDto, header: string | undefined): Promise<CustomerProfile> {
    const source = await this.ready(READ_MODELS.customerProfile, query, header);
    return found(await READ_MODELS.customerProfile.query.profileOf(source, { customerId: id }), id);
  }

  /** Where `model`'s queries read (its live collection), after waiting for the position the caller asked to see. */
  private async ready(
    model: ReadModel,
    query: CustomerReadQueryDto,
    header: string | undefined,
  ): Promise<ReadModelSource> {
    const position = minPositionOf(query['min-position'], header);
    if (position !== undefined) await this.projections.waitFor(model.name, position);
    return { store: this.readStore, collection: await this.projections.liveCollection(model.name) };
  }
}

function found<T>(doc: T | null, id: string): T {
  if (doc === null) throw new NotFoundException(`no read model for customer ${id}`);
  return doc;
}
