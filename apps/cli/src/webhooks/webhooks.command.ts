import { Command, CommandRunner, Option } from 'nest-commander';
import { printResult, type OutputOptions } from '../output/cli-output';
import { callEngine, EngineApiError, engineTarget } from './engine-api';

interface WebhooksOptions extends OutputOptions {
  engine?: string;
  key?: string;
  types?: string[];
  categories?: string[];
  description?: string;
  maxAttempts?: number;
  startFrom?: string;
  secret?: string;
  url?: string;
  graceSeconds?: number;
  state?: string;
  customers?: string[];
  limit?: number;
}

const ACTIONS = [
  'create',
  'list',
  'show',
  'update',
  'pause',
  'resume',
  'rotate-secret',
  'deliveries',
  'replay',
  'delete',
] as const;
type Action = (typeof ACTIONS)[number];

const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** The request an action makes: method, path and body. */
export function webhookRequest(
  action: Action,
  args: string[],
  options: WebhooksOptions,
): { method: string; path: string; body?: unknown } {
  const id = (): string => {
    const value = args[0];
    if (!value) throw new Error(`rapport webhooks ${action} needs the subscription id`);
    return encodeURIComponent(value);
  };
  const filter = {
    ...(options.types ? { eventTypes: options.types } : {}),
    ...(options.categories ? { categories: options.categories } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };
  switch (action) {
    case 'create': {
      const url = args[0];
      if (!url) throw new Error('rapport webhooks create needs the receiver URL');
      return {
        method: 'POST',
        path: '/webhooks',
        body: {
          url,
          ...filter,
          ...(options.startFrom ? { startFrom: options.startFrom } : {}),
          ...(options.secret ? { secret: options.secret } : {}),
        },
      };
    }
    case 'list':
      return { method: 'GET', path: '/webhooks' };
    case 'show':
      return { method: 'GET', path: `/webhooks/${id()}` };
    case 'update':
      return {
        method: 'PATCH',
        path: `/webhooks/${id()}`,
        body: { ...filter, ...(options.url ? { url: options.url } : {}) },
      };
    case 'pause':
    case 'resume':
      return { method: 'POST', path: `/webhooks/${id()}/${action}` };
    case 'rotate-secret':
      return {
        method: 'POST',
        path: `/webhooks/${id()}/secret/rotate`,
        body: options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {},
      };
    case 'deliveries': {
      const query = new URLSearchParams({
        limit: String(options.limit ?? 50),
        ...(options.state ? { state: options.state } : {}),
      });
      return { method: 'GET', path: `/webhooks/${id()}/deliveries?${query.toString()}` };
    }
    case 'replay':
      return {
        method: 'POST',
        path: `/webhooks/${id()}/deliveries/replay`,
        body: options.customers ? { customerIds: options.customers } : {},
      };
    case 'delete':
      return { method: 'DELETE', path: `/webhooks/${id()}` };
    default: {
      const exhaustive: never = action;
      return exhaustive;
    }
  }
}

@Command({
  name: 'webhooks',
  arguments: '<action> [target]',
  description: `Manage webhook subscriptions on a running engine (${ACTIONS.join(', ')}); needs an admin key (--key or RAPPORT_API_KEY)`,
})
export class WebhooksCommand extends CommandRunner {
  async run([action, ...args]: string[], options: WebhooksOptions): Promise<void> {
    if (!(ACTIONS as readonly string[]).includes(action ?? '')) {
      process.stderr.write(`rapport webhooks: unknown action '${action}'; one of ${ACTIONS.join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    try {
      const request = webhookRequest(action as Action, args, options);
      const answer = await callEngine(engineTarget(options), request.method, request.path, request.body);
      printResult(options, answer ?? { ok: true }, () => human(action as Action, answer));
    } catch (error) {
      if (error instanceof EngineApiError) {
        process.stderr.write(`rapport webhooks ${action}: ${error.message}\n`);
        if (options.json) process.stdout.write(`${JSON.stringify(error.problem)}\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(`rapport webhooks ${action}: ${(error as Error).message}\n`);
        process.exitCode = 2;
      }
    }
  }

  @Option({ flags: '--engine <url>', description: 'the engine (default RAPPORT_URL or http://127.0.0.1:3000)' })
  parseEngine(value: string): string {
    return value;
  }

  @Option({ flags: '--key <key>', description: 'admin API key (default RAPPORT_API_KEY)' })
  parseKey(value: string): string {
    return value;
  }

  @Option({ flags: '--types <types>', description: 'event types, comma separated' })
  parseTypes(value: string): string[] {
    return list(value);
  }

  @Option({
    flags: '--categories <names>',
    description:
      'categories, comma separated (customer, call, purchase, promise, complaint, survey, follow-up, alerts)',
  })
  parseCategories(value: string): string[] {
    return list(value);
  }

  @Option({ flags: '--description <text>', description: 'what the receiver is for' })
  parseDescription(value: string): string {
    return value;
  }

  @Option({ flags: '--max-attempts <n>', description: 'tries per event before it is parked' })
  parseMaxAttempts(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--start-from <where>', description: 'create: now (default), beginning or a position' })
  parseStartFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--secret <whsec>', description: 'create: the signing secret (generated when absent)' })
  parseSecret(value: string): string {
    return value;
  }

  @Option({ flags: '--url <url>', description: 'update: the new receiver URL' })
  parseUrl(value: string): string {
    return value;
  }

  @Option({ flags: '--grace-seconds <n>', description: 'rotate-secret: how long the previous secret still signs' })
  parseGrace(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--state <state>', description: 'deliveries: delivered or parked' })
  parseState(value: string): string {
    return value;
  }

  @Option({ flags: '--customers <ids>', description: 'replay: only these customers, comma separated' })
  parseCustomers(value: string): string[] {
    return list(value);
  }

  @Option({ flags: '--limit <n>', description: 'deliveries: how many (newest first)' })
  parseLimit(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--json', description: 'print the answer as JSON' })
  parseJson(): boolean {
    return true;
  }
}

type Shown = {
  id: string;
  url: string;
  status: string;
  eventTypes: string[];
  categories: string[];
  delivery: { checkpoint: number; delivered: number; parked: number } | null;
};

function human(action: Action, answer: unknown): string[] {
  const line = (w: Shown) =>
    `${w.id}  ${w.status.padEnd(6)}  ${w.url}  [${[...w.eventTypes, ...w.categories.map((c) => `@${c}`)].join(',') || 'all'}]${w.delivery ? `  checkpoint ${w.delivery.checkpoint}, ${w.delivery.delivered} delivered, ${w.delivery.parked} parked` : ''}`;
  switch (action) {
    case 'create': {
      const { webhook, secret } = answer as { webhook: Shown; secret: string };
      return [line(webhook), `signing secret (shown once): ${secret}`];
    }
    case 'list':
      return (answer as { items: Shown[] }).items.map(line);
    case 'rotate-secret': {
      const { secret, previousExpiresAt } = answer as { secret: string; previousExpiresAt: string };
      return [
        `new signing secret (shown once): ${secret}`,
        `the previous secret also signs until ${previousExpiresAt}`,
      ];
    }
    case 'deliveries':
      return (
        answer as {
          items: {
            position: number;
            webhookId: string;
            type: string;
            state: string;
            attempts: number;
            lastStatus: number | null;
            lastError: string | null;
          }[];
        }
      ).items.map(
        (d) =>
          `${String(d.position).padStart(8)}  ${d.webhookId}  ${d.type.padEnd(22)}  ${d.state.padEnd(9)}  ${d.attempts} attempts${d.lastError ? `  last: ${d.lastError}` : ''}`,
      );
    case 'replay': {
      const { replayed, stillParked } = answer as { replayed: number; stillParked: number };
      return [`${replayed} replayed, ${stillParked} still parked`];
    }
    case 'delete':
      return ['deleted'];
    default:
      return [line(answer as Shown)];
  }
}
