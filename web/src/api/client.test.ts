import { api, ApiError, session, toApiError } from './client';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: string, type = 'application/problem+json') {
  const fetch = vi.fn(async (req: Request) => {
    void req;
    return new Response(body, { status, headers: { 'Content-Type': type } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('api client', () => {
  it('throws the problem detail of an error response', async () => {
    stubFetch(404, JSON.stringify({ title: 'Not Found', status: 404, detail: 'sample 42 does not exist' }));
    const err = await api.GET('/api/v1/samples/{id}', { params: { path: { id: 42 } } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('sample 42 does not exist');
    expect(err.status).toBe(404);
  });

  it('serialises list filters as comma-separated values', async () => {
    const fetch = stubFetch(200, JSON.stringify({ items: [], total: 0, page: 1, limit: 100 }), 'application/json');
    await api.GET('/api/v1/samples', { params: { query: { type: ['one-shot', 'loop'], q: 'kick', bpm_min: 90, page: 2 } } });
    const url = new URL((fetch.mock.calls[0][0] as Request).url);
    expect(url.pathname).toBe('/api/v1/samples');
    expect(url.searchParams.get('type')).toBe('one-shot,loop');
    expect(url.searchParams.get('q')).toBe('kick');
    expect(url.searchParams.get('bpm_min')).toBe('90');
    expect(url.searchParams.get('page')).toBe('2');
  });
});

describe('session', () => {
  afterEach(() => {
    session.csrfToken = '';
    session.onUnauthorized = () => {};
    session.loggedOut = false;
  });

  it('sends nothing that needs the session once logged out, but still reaches the auth endpoints', async () => {
    const fetch = stubFetch(200, JSON.stringify({ auth_enabled: true, authenticated: false }), 'application/json');
    session.loggedOut = true;
    const err = await api.GET('/api/v1/waveforms', { params: { query: { ids: [1] } } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(fetch).not.toHaveBeenCalled();
    await api.GET('/api/v1/auth/session');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('sends the CSRF token with writes only', async () => {
    const fetch = stubFetch(200, JSON.stringify({}), 'application/json');
    session.csrfToken = 'tok';
    await api.PATCH('/api/v1/samples/{id}', { params: { path: { id: 1 } }, body: { favorite: true } });
    await api.GET('/api/v1/samples/{id}', { params: { path: { id: 1 } } });
    const [patch, get] = fetch.mock.calls.map((c) => c[0] as Request);
    expect(patch.headers.get('X-CSRF-Token')).toBe('tok');
    expect(get.headers.get('X-CSRF-Token')).toBeNull();
  });

  it('reports a lapsed session (401) outside the auth endpoints', async () => {
    stubFetch(401, JSON.stringify({ title: 'Unauthorized', detail: 'log in' }));
    const lapsed = vi.fn();
    session.onUnauthorized = lapsed;
    await api.GET('/api/v1/auth/session').catch(() => {});
    expect(lapsed).not.toHaveBeenCalled();
    const err = await api.GET('/api/v1/samples', {}).catch((e) => e);
    expect(err.message).toBe('log in');
    expect(lapsed).toHaveBeenCalledTimes(1);
  });
});

describe('toApiError', () => {
  it('adds the first validation error to the detail', () => {
    const e = toApiError(422, 'Unprocessable Entity', {
      title: 'Unprocessable Entity', detail: 'validation failed', errors: [{ location: 'body.rating', message: 'expected number <= 5' }],
    });
    expect(e.message).toBe('validation failed: body.rating expected number <= 5');
  });
  it('falls back to the title, then the status', () => {
    expect(toApiError(500, 'Internal Server Error', { title: 'Internal Server Error' }).message).toBe('Internal Server Error');
    expect(toApiError(503, '', null).message).toBe('HTTP 503');
  });
});
