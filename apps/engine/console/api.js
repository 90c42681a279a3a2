// Calls the engine's API with the key kept in session storage; errors carry the problem+json detail.
import { t } from './i18n.js';

const KEY = 'rapport.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, title, detail, path) {
    super(detail || title || String(status));
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

async function request(path, { accept = 'application/json', method = 'GET', signal, body } = {}) {
  const key = apiKey.get();
  const json = body === undefined ? {} : { 'content-type': 'application/json' };
  const response = await fetch(path, { method, signal, body: body === undefined ? undefined : JSON.stringify(body), headers: { accept, ...json, ...(key ? { 'x-api-key': key } : {}) } });
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

/** GET any file as a Blob with its file name (from content-disposition), for a download. */
export async function getFile(path, accept) {
  const response = await request(path, { accept });
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await response.blob(), name };
}

export async function post(path, body) {
  const response = await request(path, { method: 'POST', body });
  return response.status === 204 ? null : response.json().catch(() => null);
}

/** A sentence for a panel that could not load. */
export function explain(error) {
  // Messages of plain Errors are the console's own notices; a TypeError is a network or page failure.
  if (!(error instanceof ApiError)) return error instanceof TypeError ? t('api.couldNotLoad', { message: error.message }) : String(error?.message ?? error);
  if (error.notOffered) return t('api.notOffered', { path: error.path.split('?')[0] });
  if (error.status === 401) return t('api.keyRefused');
  if (error.status === 403) return t('api.forbidden', { message: error.message });
  if (error.status === 404) return t('api.notFound', { message: error.message });
  return t('api.failed', { title: error.title || t('api.error'), status: error.status, message: error.message });
}
