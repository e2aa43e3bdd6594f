import { act, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extraKeys, useStoredVibe, useVibeRun } from './sampleExtras';

class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  closed = false;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  send(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  serverClose(code = 1000, reason = '') {
    this.onclose?.({ code, reason });
  }
}

function Probe({ id }: { id: number }) {
  const { live, start } = useVibeRun(id);
  return (
    <>
      <button onClick={start}>start</button>
      <p data-testid="live">
        {live.phase} {live.steps.map((s) => s.step).join('|')} {live.vibe?.mood_primary ?? ''} {live.error}
      </p>
    </>
  );
}

const wrap = (qc: QueryClient, ui: React.ReactNode) => render(<QueryClientProvider client={qc}>{ui}</QueryClientProvider>);

describe('useVibeRun', () => {
  const real = globalThis.WebSocket;
  beforeEach(() => {
    FakeSocket.all = [];
    globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
  });
  afterEach(() => {
    globalThis.WebSocket = real;
  });

  it('opens the socket only when started, follows it to complete and refetches the stored vibe', () => {
    const qc = new QueryClient();
    const invalidate = vi.spyOn(qc, 'invalidateQueries');
    wrap(qc, <Probe id={5} />);
    expect(FakeSocket.all).toHaveLength(0);
    expect(screen.getByTestId('live')).toHaveTextContent('idle');
    act(() => screen.getByText('start').click());
    const ws = FakeSocket.all[0];
    expect(ws.url).toBe(`ws://${window.location.host}/ws/vibe/5`);
    act(() => {
      ws.open();
      ws.send({ type: 'status', status: 'analyzing' });
      ws.send({ type: 'progress', step: 'features loaded', progress: 20 });
      ws.send({ type: 'progress', step: 'offline vibe', progress: 60 });
    });
    expect(screen.getByTestId('live')).toHaveTextContent('running features loaded|offline vibe');
    expect(invalidate).not.toHaveBeenCalled();
    act(() => {
      ws.send({ type: 'complete', data: { mood_primary: 'dreamy', energy: 0.3, sources: {} } });
      ws.serverClose();
    });
    expect(screen.getByTestId('live')).toHaveTextContent('complete features loaded|offline vibe dreamy');
    expect(invalidate).toHaveBeenCalledWith({ queryKey: extraKeys.vibe(5) });
  });

  it('shows a socket closed before the end as an error', () => {
    wrap(new QueryClient(), <Probe id={5} />);
    act(() => screen.getByText('start').click());
    act(() => FakeSocket.all[0].serverClose(4404, 'sample not found'));
    expect(screen.getByTestId('live')).toHaveTextContent('error');
    expect(screen.getByTestId('live')).toHaveTextContent('no longer in the library');
  });

  it('closes the socket when the page goes, after it has opened', () => {
    const { unmount } = wrap(new QueryClient(), <Probe id={5} />);
    act(() => screen.getByText('start').click());
    const ws = FakeSocket.all[0];
    unmount();
    expect(ws.closed).toBe(false);
    ws.open();
    expect(ws.closed).toBe(true);
  });

  it('a second start replaces the first socket', () => {
    wrap(new QueryClient(), <Probe id={5} />);
    act(() => screen.getByText('start').click());
    const first = FakeSocket.all[0];
    act(() => first.open());
    act(() => screen.getByText('start').click());
    expect(first.closed).toBe(true);
    expect(FakeSocket.all).toHaveLength(2);
  });
});

function VibeProbe({ id }: { id: number }) {
  const q = useStoredVibe(id, true);
  return <p data-testid="stored">{q.isPending ? 'pending' : q.isError ? 'error' : q.data === null ? 'none' : q.data.vibe.mood_primary}</p>;
}

describe('useStoredVibe', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('reads a 404 as "no vibe yet"', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ status: 404, title: 'Not Found', detail: 'no vibe' }), { status: 404, headers: { 'content-type': 'application/problem+json' } })));
    wrap(new QueryClient(), <VibeProbe id={3} />);
    await screen.findByText('none');
  });
  it('returns the stored vibe', async () => {
    const body = { updated_at: '2026-01-01T00:00:00Z', vibe: { mood_primary: 'gritty' } };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })));
    wrap(new QueryClient(), <VibeProbe id={3} />);
    await screen.findByText('gritty');
  });
});
