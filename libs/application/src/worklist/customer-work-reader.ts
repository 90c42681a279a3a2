import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { ComplaintSlaDoc } from '@rapport/projections/complaint-sla/complaint-sla.projection';
import type { CustomerHealthDoc } from '@rapport/projections/customer-health/customer-health.projection';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import type { ScoringRunRecord } from '@rapport/scoring/scoring-run';
import { selectRun } from '@rapport/scoring/scoring-runs.query';
import type { SentimentTimelineDoc } from '@rapport/projections/sentiment-timeline/sentiment-timeline.projection';
import { READ_MODELS } from '@rapport/projections/read-models';
import { ProjectionsService } from '../projections/projections.service';

/** One customer's documents the health score and the worklist triggers read together. */
export interface CustomerWork {
  health: CustomerHealthDoc;
  sentiment: SentimentTimelineDoc | null;
  complaints: ComplaintSlaDoc | null;
  scored: AnalyticsCustomerDoc | null;
}

const PAGE = 1000;

/**
 * Reads every customer's health facts a page at a time, with the same customers' sentiment timeline,
 * complaint SLA document and scored row of the scoring run that holds as of `asOf` (the latest run as of
 * then), so a job never holds the whole population.
 */
@Injectable()
export class CustomerWorkReader {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  /** The scoring run whose population signals hold as of `asOf`. */
  runAsOf(asOf: string): Promise<ScoringRunRecord | null> {
    return selectRun(this.store, { asOf });
  }

  async *pages(run: ScoringRunRecord | null): AsyncIterable<CustomerWork[]> {
    const [health, sentiment, complaints] = await Promise.all([
      this.projections.liveCollection(READ_MODELS.customerHealth.name),
      this.projections.liveCollection(READ_MODELS.sentimentTimeline.name),
      this.projections.liveCollection(READ_MODELS.complaintSla.name),
    ]);
    let page: CustomerHealthDoc[] = [];
    const flush = async (): Promise<CustomerWork[]> => {
      const ids = page.map((d) => d.id);
      const [s, c, a] = await Promise.all([
        this.store.getMany<SentimentTimelineDoc>(sentiment, ids),
        this.store.getMany<ComplaintSlaDoc>(complaints, ids),
        run?.customers ? this.store.getMany<AnalyticsCustomerDoc>(run.customers, ids) : Promise.resolve(new Map()),
      ]);
      const out = page.map((doc) => ({
        health: doc,
        sentiment: s.get(doc.id) ?? null,
        complaints: c.get(doc.id) ?? null,
        scored: (a.get(doc.id) as AnalyticsCustomerDoc | undefined) ?? null,
      }));
      page = [];
      return out;
    };
    for await (const doc of this.store.scan<CustomerHealthDoc>(health, PAGE)) {
      page.push(doc);
      if (page.length === PAGE) yield await flush();
    }
    if (page.length > 0) yield await flush();
  }

  /** One customer's documents (null when it has no health facts). */
  async one(customerId: string, run: ScoringRunRecord | null): Promise<CustomerWork | null> {
    const [healthName, sentimentName, complaintsName] = await Promise.all([
      this.projections.liveCollection(READ_MODELS.customerHealth.name),
      this.projections.liveCollection(READ_MODELS.sentimentTimeline.name),
      this.projections.liveCollection(READ_MODELS.complaintSla.name),
    ]);
    const health = await READ_MODELS.customerHealth.query.healthFactsOf(
      { store: this.store, collection: healthName },
      { customerId },
    );
    if (!health) return null;
    const [sentiment, complaints, scored] = await Promise.all([
      this.store.get<SentimentTimelineDoc>(sentimentName, customerId),
      this.store.get<ComplaintSlaDoc>(complaintsName, customerId),
      run?.customers ? this.store.get<AnalyticsCustomerDoc>(run.customers, customerId) : Promise.resolve(null),
    ]);
    return { health, sentiment, complaints, scored };
  }
}
