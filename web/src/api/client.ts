import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Sample = components['schemas']['Sample'];
export type SamplePatch = components['schemas']['SamplePatch'];
export type Peaks = components['schemas']['Peaks'];
export type SampleList = components['schemas']['PageSample'];
export type SessionInfo = components['schemas']['SessionInfo'];

/** ApiError carries an RFC 9457 problem's human `detail` as its message. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(status: number, title: string, detail: string) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
  }
}

/** problemMessage reads a problem+json (or any JSON/text) error body into an ApiError. */
export function toApiError(status: number, statusText: string, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const p = body as { detail?: unknown; title?: unknown; errors?: unknown };
    const title = typeof p.title === 'string' ? p.title : statusText;
    let detail = typeof p.detail === 'string' ? p.detail : '';
    // Validation problems list each field; the first one is the most useful line to show.
    if (Array.isArray(p.errors) && p.errors.length > 0) {
      const e = p.errors[0] as { message?: string; location?: string };
      if (e?.message) detail = `${detail ? detail + ': ' : ''}${e.location ? e.location + ' ' : ''}${e.message}`;
    }
    return new ApiError(status, title, detail);
  }
  if (typeof body === 'string' && body.trim() !== '') {
    return new ApiError(status, statusText, body.trim().slice(0, 300));
  }
  return new ApiError(status, statusText, '');
}

// Query arrays are comma-separated (`type=one-shot,loop`), as the API's parameters declare
// (explode: false).
// An absolute base keeps Request construction valid outside browsers too (tests).
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  querySerializer: { array: { style: 'form', explode: false } },
  // Looked up per call, so a test can stub the global fetch.
  fetch: (req) => globalThis.fetch(req),
});

/**
 * session holds what the server's cookie session needs from the page: the CSRF token sent with
 * every write, a hook to call when the server says the session is gone (401), and whether the
 * user has logged out (then requests that need the session are not sent: work still queued
 * then, such as a batch of waveforms waiting for its timer, would only be refused).
 */
export const session = {
  csrfToken: '',
  onUnauthorized: () => {},
  loggedOut: false,
};

const isAuthPath = (url: string) => new URL(url).pathname.startsWith('/api/v1/auth/');

export const CSRF_HEADER = 'X-CSRF-Token';
const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

const throwProblems: Middleware = {
  onRequest({ request }) {
    if (session.loggedOut && !isAuthPath(request.url)) throw new ApiError(401, 'Unauthorized', 'logged out');
    if (session.csrfToken && isWrite(request.method)) request.headers.set(CSRF_HEADER, session.csrfToken);
    return request;
  },
  async onResponse({ response, request }) {
    if (response.status === 401 && !isAuthPath(request.url)) {
      session.onUnauthorized();
    }
    if (response.ok) return undefined;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw toApiError(response.status, response.statusText, body);
  },
};
api.use(throwProblems);

/** must unwraps an openapi-fetch result whose errors were already thrown by the middleware. */
export function must<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || r.data === undefined) {
    throw toApiError(r.response.status, r.response.statusText, r.error);
  }
  return r.data;
}

export const audioUrl = (id: number) => `/api/v1/samples/${id}/audio`;
/** wavUrl is a sample decoded to WAV by the server, for formats the browser cannot play. */
export const wavUrl = (id: number) => `/api/v1/samples/${id}/audio?as=wav`;
