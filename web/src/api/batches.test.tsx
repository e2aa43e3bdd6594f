import { act, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchKeys, useLiveBatch } from './batches';

/** FakeSocket stands in for the browser's WebSocket and records every socket the hook opens. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  url: string;
  closed = false;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onopen: (() => void) | null = null;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  send(data: unknown) {
    this.onmessage?.({ data });
  }
}

function Probe({ id, run }: { id: number; run: number }) {
  const live = useLiveBatch(id, run);
  return (
    <p data-testid="live">
      {live.progress ? `${live.progress.done}/${live.progress.total} ${live.progress.state} ${live.progress.current}` : 'none'}
      {live.complete ? ' complete' : ''}
    </p>
  );
}

describe('useLiveBatch', () => {
  const real = globalThis.WebSocket;
  beforeEach(() => {
    FakeSocket.all = [];
    globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
  });
  afterEach(() => {
    globalThis.WebSocket = real;
  });

  it('follows the batch socket and refetches the batch, list and library on complete', () => {
    const qc = new QueryClient();
    const invalidate = vi.spyOn(qc, 'invalidateQueries');
    render(
      <QueryClientProvider client={qc}>
        <Probe id={7} run={0} />
      </QueryClientProvider>,
    );
    const ws = FakeSocket.all[0];
    expect(ws.url).toBe(`ws://${window.location.host}/ws/batches/7`);
    act(() => {
      ws.open();
      ws.send(JSON.stringify({ type: 'progress', data: { total: 3, done: 1, failed: 0, current: 'a.wav', eta_seconds: 2, rate: 1, state: 'running' } }));
    });
    expect(screen.getByTestId('live')).toHaveTextContent('1/3 running a.wav');
    expect(invalidate).not.toHaveBeenCalled();
    act(() => {
      ws.send(JSON.stringify({ type: 'progress', data: { total: 3, done: 3, failed: 0, current: '', state: 'done' } }));
      ws.send(JSON.stringify({ type: 'complete' }));
    });
    expect(screen.getByTestId('live')).toHaveTextContent('3/3 done complete');
    const keys = invalidate.mock.calls.map((c) => JSON.stringify(c[0]?.queryKey));
    expect(keys).toEqual(expect.arrayContaining([JSON.stringify(batchKeys.batch(7)), JSON.stringify(batchKeys.list), JSON.stringify(['samples', 'list'])]));
  });

  it('opens a fresh socket for a new run and closes the old one once it has opened', () => {
    const qc = new QueryClient();
    const { rerender } = render(
      <QueryClientProvider client={qc}>
        <Probe id={7} run={0} />
      </QueryClientProvider>,
    );
    const first = FakeSocket.all[0];
    rerender(
      <QueryClientProvider client={qc}>
        <Probe id={7} run={1} />
      </QueryClientProvider>,
    );
    // Still connecting: closed as soon as it opens, not before (browsers log an error otherwise).
    expect(first.closed).toBe(false);
    first.open();
    expect(first.closed).toBe(true);
    expect(FakeSocket.all).toHaveLength(2);
    expect(screen.getByTestId('live')).toHaveTextContent('none');
  });
});
