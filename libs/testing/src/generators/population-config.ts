/** How a customer buys over time. */
export type PurchaseRhythm = 'frequent' | 'occasional' | 'one_off' | 'declining' | 'churning';

export interface PopulationConfig {
  customers: number;
  days: number;
  seed: string | number;
  /** First day of the simulated window (ISO date). */
  start: string;
  /** Share of each purchase rhythm; weights, need not sum to 1. */
  rhythms: Record<PurchaseRhythm, number>;
  /** Share of customers who register but never buy. */
  prospectShare: number;
  /** Share of customers writing in Chinese among those in mainland regions. */
  chineseShare: number;
  /** Probability that a purchase is followed by a survey. */
  surveyAfterPurchase: number;
  /** Expected complaints per customer per year. */
  complaintsPerYear: number;
  /** Expected calls per customer per year. */
  callsPerYear: number;
  /** Share of promises kept on time, kept late, broken, renegotiated, cancelled. */
  promiseOutcomes: Record<PromiseOutcome, number>;
  /** Share of purchases later refunded (partly or wholly). */
  refundShare: number;
  /** Share of follow-ups (worklist triggers) an agent works; 0 simulates no follow-ups at all. */
  followUpRate: number;
}

export type PromiseOutcome = 'kept_on_time' | 'kept_late' | 'broken' | 'renegotiated' | 'cancelled';

export const DEFAULT_POPULATION: PopulationConfig = {
  customers: 100,
  days: 365,
  seed: 'rapport',
  start: '2024-01-01',
  rhythms: { frequent: 0.15, occasional: 0.35, one_off: 0.25, declining: 0.15, churning: 0.1 },
  prospectShare: 0.05,
  chineseShare: 0.75,
  surveyAfterPurchase: 0.2,
  complaintsPerYear: 1.2,
  callsPerYear: 3,
  promiseOutcomes: { kept_on_time: 0.6, kept_late: 0.15, broken: 0.1, renegotiated: 0.1, cancelled: 0.05 },
  refundShare: 0.03,
  followUpRate: 0,
};

/** Acquisition channels with their typical cost per customer (CNY). */
export const ACQUISITION_CHANNELS: Record<string, { weight: number; cost: number }> = {
  search: { weight: 0.25, cost: 48 },
  social: { weight: 0.2, cost: 32 },
  wechat: { weight: 0.2, cost: 26 },
  referral: { weight: 0.15, cost: 12 },
  store: { weight: 0.12, cost: 18 },
  email: { weight: 0.08, cost: 6 },
};

export const REGIONS: Record<string, { weight: number; cities: string[]; mainland: boolean }> = {
  East: { weight: 0.32, cities: ['Shanghai', 'Hangzhou', 'Suzhou', 'Nanjing'], mainland: true },
  North: { weight: 0.22, cities: ['Beijing', 'Tianjin', 'Jinan'], mainland: true },
  South: { weight: 0.22, cities: ['Guangzhou', 'Shenzhen', 'Xiamen'], mainland: true },
  West: { weight: 0.14, cities: ['Chengdu', 'Chongqing', "Xi'an"], mainland: true },
  Overseas: { weight: 0.1, cities: ['Singapore', 'London', 'Sydney'], mainland: false },
};

/** Catalogue used for purchase lines: category, sku prefix, median unit price. */
export const CATALOGUE = [
  { category: 'tea', sku: 'TEA', price: 68 },
  { category: 'teaware', sku: 'WARE', price: 180 },
  { category: 'snacks', sku: 'SNK', price: 25 },
  { category: 'gift-box', sku: 'GIFT', price: 299 },
  { category: 'subscription', sku: 'SUB', price: 99 },
] as const;

export const AGENTS = ['agent-li', 'agent-wang', 'agent-zhang', 'agent-chen', 'agent-smith', 'agent-jones'];

/** Response-time targets (hours) by severity: acknowledgement and resolution. */
export const COMPLAINT_SLA: Record<'low' | 'medium' | 'high' | 'critical', { ackHours: number; resolveHours: number }> =
  {
    low: { ackHours: 48, resolveHours: 240 },
    medium: { ackHours: 24, resolveHours: 120 },
    high: { ackHours: 8, resolveHours: 72 },
    critical: { ackHours: 4, resolveHours: 48 },
  };
