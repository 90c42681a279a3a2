// Calls the engine's API with the key kept in session storage; errors carry the problem+json detail.

const KEY = 'rapport.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, title, detail, path) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.path = path;
    // Nest answers an unknown route with "Cannot GET /path": the engine does not offer it (yet).
    this.notOffered = status === 404 && /^Cannot (GET|POST)/.test(detail || '');
  }
}

/** Listeners told when the key is refused (401), so the app can ask for another. */
const unauthorisedListeners = [];
export const onUnauthorised = (listener) => unauthorisedListeners.push(listener);

async function request(path, { accept = 'application/json', method = 'GET', signal } = {}) {
  const key = apiKey.get();
  const response = await fetch(path, { method, signal, headers: { accept, ...(key ? { 'x-api-key': key } : {}) } });
  if (!response.ok) {
    let title = response.statusText;
    let detail = '';
    try {
      const body = await response.json();
      title = body.title || title;
      detail = body.detail || '';
    } catch {
      // not JSON: keep the status text
    }
    const error = new ApiError(response.status, title, detail, path);
    if (response.status === 401) unauthorisedListeners.forEach((listener) => listener(error));
    throw error;
  }
  return response;
}

/** GET a JSON document. */
export async function getJson(path, options) {
  return (await request(path, options)).json();
}

/** GET as CSV, as a Blob (for a download link: a plain link cannot send the key). */
export async function getCsv(path, options) {
  return (await request(path, { ...options, accept: 'text/csv' })).blob();
}

export async function post(path) {
  const response = await request(path, { method: 'POST' });
  return response.status === 204 ? null : response.json().catch(() => null);
}

/** A sentence for a panel that could not load. */
export function explain(error) {
  // Messages of plain Errors are the console's own notices; a TypeError is a network or page failure.
  if (!(error instanceof ApiError)) return error instanceof TypeError ? `Could not load: ${error.message}` : String(error?.message ?? error);
  if (error.notOffered) return `Not available: this engine does not offer ${error.path.split('?')[0]} yet.`;
  if (error.status === 401) return 'Your API key was not accepted.';
  if (error.status === 403) return `Not for this key's role: ${error.message}.`;
  if (error.status === 404) return `Nothing here yet: ${error.message}`;
  return `${error.title || 'Error'} (${error.status}): ${error.message}`;
}
