import { ProjectionsService } from '@rapport/application';
import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import type { AnalyticsCustomerDoc } from '@rapport/scoring/analytics-customer';
import type { ScoringRunRecord } from '@rapport/scoring/scoring-run';
import { serviceKpiReadModel } from '@rapport/projections/service-kpi';
import type { KpiFactSource } from '@rapport/projections/service-kpi/kpi-source';
import type { CustomerValues } from '@rapport/projections/service-kpi/kpi-index';

/** How long a fact table is served after the collection moved on, while a fresh one is read. */
export const KPI_REFRESH_MS = 2000;

/**
 * The service-kpi collection as a fact table in memory, brought up to date when the projection's
 * checkpoint has moved (at most every KPI_REFRESH_MS; meanwhile the previous table answers): the
 * documents changed since are read by their `position` index and replace their customers' rows.
 * One refresh at a time; callers during one share it.
 */
@Injectable()
export class KpiFactsService {
  private current: KpiFactSource | null = null;
  private loadedAt = 0;
  private loading: Promise<KpiFactSource> | null = null;
  private readonly runValues = new Map<string, { tier: Map<string, string>; stage: Map<string, string> }>();
  private readonly dimensions = new WeakMap<KpiFactSource, Map<string, Int32Array>>();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ProjectionsService) private readonly projections: ProjectionsService,
  ) {}

  async source(): Promise<KpiFactSource> {
    const collection = await this.projections.liveCollection(serviceKpiReadModel.name);
    const current = this.current;
    if (current !== null && current.collection === collection) {
      const position = (await this.readStore.getCheckpoint(collection)) ?? 0;
      if (position === current.position) return current;
      if (Date.now() - this.loadedAt < KPI_REFRESH_MS) return current;
    }
    // Only the documents changed since the current table are read again (a full read the first time,
    // after a rebuild switched collections, or when much has changed).
    this.loading ??= serviceKpiReadModel.query
      .kpiFactsOf({ store: this.readStore, collection }, { previous: current })
      .then(
        (source) => {
          this.current = source;
          this.loadedAt = Date.now();
          this.loading = null;
          return source;
        },
        (error: unknown) => {
          this.loading = null;
          throw error;
        },
      );
    return this.loading;
  }

  /** Tier or stage of each customer (by table index) as the run scored them, interned in the table. */
  async runDimension(source: KpiFactSource, run: ScoringRunRecord, by: 'tier' | 'stage'): Promise<CustomerValues> {
    let values = this.runValues.get(run.id);
    if (values === undefined && run.customers !== null) {
      values = { tier: new Map(), stage: new Map() };
      for await (const doc of this.readStore.scan<AnalyticsCustomerDoc>(run.customers, 2000)) {
        if (doc.tier) values.tier.set(doc.customerId, doc.tier);
        if (doc.stage) values.stage.set(doc.customerId, doc.stage);
      }
      this.runValues.clear(); // one run's values at a time
      this.runValues.set(run.id, values);
    }
    const cached = this.dimensions.get(source) ?? new Map<string, Int32Array>();
    this.dimensions.set(source, cached);
    let ids = cached.get(`${run.id}:${by}`);
    if (ids === undefined) {
      const of = values?.[by] ?? new Map<string, string>();
      ids = Int32Array.from(source.table.customerIds, (id) => source.table.strings.id(of.get(id) ?? null));
      cached.set(`${run.id}:${by}`, ids);
    }
    return ids;
  }
}
