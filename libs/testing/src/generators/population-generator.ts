import { simulateCustomer, type CustomerProfileSketch } from './customer-journey';
import type { GeneratedCommand } from './generated-command';
import { DEFAULT_POPULATION, type PopulationConfig } from './population-config';
import { Prng } from './prng';

export interface Population {
  customers: CustomerProfileSketch[];
  /** Every command of every customer, in business-time order. */
  commands: GeneratedCommand[];
}

/**
 * A deterministic synthetic population: the same configuration (seed included) always gives the
 * same commands. Each customer draws from its own stream, so customer k is the same whatever N is.
 */
export function generatePopulation(overrides: Partial<PopulationConfig> = {}): Population {
  const config: PopulationConfig = { ...DEFAULT_POPULATION, ...overrides };
  if (!Number.isInteger(config.customers) || config.customers < 0)
    throw new RangeError('customers must be a non-negative integer');
  if (!(config.days > 0)) throw new RangeError('days must be positive');
  if (Number.isNaN(Date.parse(`${config.start}T00:00:00Z`)))
    throw new RangeError('start must be an ISO date (YYYY-MM-DD)');
  const root = new Prng(config.seed);
  const idPrefix = `sim${shortHash(String(config.seed))}`;
  const customers: CustomerProfileSketch[] = [];
  const tagged: { command: GeneratedCommand; customer: number; seq: number }[] = [];
  for (let i = 0; i < config.customers; i++) {
    const { sketch, commands } = simulateCustomer(root.fork(`customer-${i}`), i, config, idPrefix);
    customers.push(sketch);
    commands.forEach((command, seq) => tagged.push({ command, customer: i, seq }));
  }
  tagged.sort(
    (a, b) =>
      a.command.command.occurredAt.localeCompare(b.command.command.occurredAt) ||
      a.customer - b.customer ||
      a.seq - b.seq,
  );
  return { customers, commands: tagged.map((t) => t.command) };
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36).slice(0, 5);
}
