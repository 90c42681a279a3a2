/** Where the running engine is and the admin key to use: flags win over RAPPORT_URL / RAPPORT_API_KEY. */
export interface EngineTarget {
  url: string;
  key: string;
}

/** A refusal from the engine: its status and problem document. */
export class EngineApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(
      `engine answered ${status}: ${typeof problem === 'object' && problem !== null && 'detail' in problem ? String((problem as { detail: unknown }).detail) : JSON.stringify(problem)}`,
    );
  }
}

export function engineTarget(
  options: { engine?: string; key?: string },
  env: NodeJS.ProcessEnv = process.env,
): EngineTarget {
  const url = options.engine ?? env['RAPPORT_URL'] ?? 'http://127.0.0.1:3000';
  const key = options.key ?? env['RAPPORT_API_KEY'];
  if (!key) throw new Error('an admin API key is needed: --key or RAPPORT_API_KEY');
  return { url: url.replace(/\/+$/, ''), key };
}

/** One call to the engine's admin API; the parsed JSON answer (null for 204), or EngineApiError. */
export async function callEngine(target: EngineTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) throw new EngineApiError(response.status, parsed);
  return parsed;
}
