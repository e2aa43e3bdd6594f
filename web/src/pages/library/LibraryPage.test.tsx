import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { Sample } from '../../api/client';
import { AudioProvider } from '../../audio/AudioProvider';
import { AudioEngine } from '../../audio/engine';
import { ToastProvider } from '../../components/Toasts';
import { UploadProvider } from '../../upload/UploadProvider';
import LibraryPage, { pagesFor } from './LibraryPage';

const TOTAL = 10_000;

// Each test renders the page over ten thousand rows in jsdom; on a busy shared machine that can
// take longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 20_000 });

function sample(id: number): Sample {
  return {
    id, file_name: `sample_${String(id).padStart(5, '0')}.wav`, content_hash: `h${id}`, format: 'wav', size_bytes: 1000,
    duration_s: 1, frames: 44100, sample_rate: 44100, channels: 1, bit_depth: 16, type: 'one-shot', category: 'kick',
    category_confidence: 0.9, bpm: id % 2 ? 90 : null, bpm_confidence: 0.5, bpm_alternates: [], bpm_source: 'audio',
    key: null, scale: null, key_confidence: 0, root_note: null, loudness_lufs: -12, true_peak_dbtp: -1, peak_dbfs: -1,
    spectral: null as unknown as Sample['spectral'], analysis_version: '1', analysis_state: id === 2 ? 'failed' : 'done',
    analysis_error: id === 2 ? 'could not decode' : undefined, tags: [], favorite: false, rating: 0, notes: '',
    created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', analyzed_at: null,
    source_id: null, region_start_frame: null, region_end_frame: null,
  };
}

const bodies: Array<[string, unknown]> = [];

function stubApi() {
  const calls: string[] = [];
  bodies.length = 0;
  const fetch = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    calls.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (url.pathname === '/api/v1/samples' && req.method === 'GET') {
      const page = Number(url.searchParams.get('page'));
      const limit = Number(url.searchParams.get('limit'));
      const items = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - (page - 1) * limit)) }, (_, i) => sample((page - 1) * limit + i + 1));
      return json({ items, total: TOTAL, page, limit });
    }
    if (url.pathname === '/api/v1/waveforms') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').map(Number);
      // Like the server: samples without peaks (not analysed) are left out.
      return json({ items: ids.filter((id) => sample(id).analysis_state === 'done').map((id) => ({ id, coarse: [-100, 100, -50, 50] })) });
    }
    const m = url.pathname.match(/^\/api\/v1\/samples\/(\d+)(\/waveform)?$/);
    if (m && m[2]) return json({ coarse: [-100, 100, -50, 50], fine: [] });
    if (m && req.method === 'PATCH') return json({ ...sample(Number(m[1])), ...(await req.json()) });
    if (url.pathname === '/api/v1/samples/bulk') {
      bodies.push(['bulk', await req.json()]);
      return json({ updated: 4 });
    }
    if (url.pathname === '/api/v1/collections') return json({ items: [{ id: 7, name: 'Dusty', kind: 'manual', parent_id: null, description: '', sample_count: 0, created_at: '', updated_at: '' }], total: 1 });
    if (url.pathname === '/api/v1/collections/7/samples') {
      bodies.push(['collection', await req.json()]);
      return json({ items: [], total: 4 });
    }
    if (url.pathname === '/api/v1/kits' && req.method === 'GET') return json({ items: [{ id: 9, name: 'Beat tape', device: 'mk2' }], total: 1 });
    if (url.pathname === '/api/v1/kits/9' && req.method === 'GET') return json({ id: 9, name: 'Beat tape', device: 'mk2', pads: [{ bank: 'A', pad: 1, sample_id: 50 }] });
    const pad = url.pathname.match(/^\/api\/v1\/kits\/9\/pads\/([A-J])\/(\d+)$/);
    if (pad && req.method === 'PUT') {
      bodies.push([`pad ${pad[1]}${pad[2]}`, await req.json()]);
      return json({ id: 9, name: 'Beat tape', device: 'mk2', pads: [] });
    }
    if (url.pathname === '/api/v1/kits/build') {
      bodies.push(['kit', await req.json()]);
      return json({ kit: { id: 5, name: 'Bulk kit' }, not_placed: [] });
    }
    return json({ title: 'Not Found', detail: 'no such thing' }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

function setup(url = '/') {
  // jsdom lays nothing out: give the scroller a screen's height so the virtualizer has a window.
  vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(800);
  vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  const el = document.createElement('audio');
  el.play = vi.fn(() => Promise.resolve());
  el.pause = vi.fn();
  const engine = new AudioEngine(el);
  const play = vi.spyOn(engine, 'play');
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      { path: '/', element: <LibraryPage /> },
      { path: '/kits/:id', element: <p>the kit page</p> },
    ],
    { initialEntries: [url] },
  );
  render(
    <QueryClientProvider client={qc}>
      <ToastProvider>
        <AudioProvider engine={engine}>
          <UploadProvider>
            <RouterProvider router={router} />
          </UploadProvider>
        </AudioProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { play, router, el };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it('pagesFor lists the pages a row range needs', () => {
  expect(pagesFor(0, 30)).toEqual([1]);
  expect(pagesFor(95, 130)).toEqual([1, 2]);
  expect(pagesFor(5000, 5040)).toEqual([51]);
  expect(pagesFor(10, 5)).toEqual([]);
});

describe('LibraryPage', () => {
  it('renders a window of rows out of ten thousand, from one page request', async () => {
    const calls = stubApi();
    setup();
    await screen.findByText('sample_00001.wav');
    expect(screen.getByTestId('total').textContent).toBe('10,000 samples');
    const rows = document.querySelectorAll('[role=row][data-sample-id]');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(100);
    expect(calls.filter((c) => c.startsWith('GET /api/v1/samples?'))).toEqual(['GET /api/v1/samples?sort=-created&page=1&limit=100']);
    // A failed analysis shows its error on hover.
    expect(screen.getByTitle('Analysis failed: could not decode')).toBeInTheDocument();
  });

  it('plays the selection as the arrow keys move it, and F favourites it', async () => {
    const calls = stubApi();
    const { play } = setup();
    await screen.findByText('sample_00001.wav');
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(play.mock.lastCall).toMatchObject([1, { rate: 1 }]);
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(play.mock.lastCall).toMatchObject([2, { rate: 1 }]);
    expect(document.querySelector('[aria-selected=true]')?.getAttribute('data-sample-id')).toBe('2');
    act(() => {
      fireEvent.keyDown(document.body, { key: 'f' });
    });
    await waitFor(() => expect(calls).toContain('PATCH /api/v1/samples/2'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Unfavourite sample_00002.wav' })).toBeInTheDocument());
  });

  it('ticks rows, a shift-click ticks the range, and the bar acts on all of them', async () => {
    stubApi();
    const { play, router } = setup();
    await screen.findByText('sample_00001.wav');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00001.wav' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00004.wav' }), { shiftKey: true });
    expect(screen.getByTestId('marked-count').textContent).toBe('4 samples selected');
    expect(play).not.toHaveBeenCalled(); // ticking is not selecting
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00003.wav' }));
    expect(screen.getByTestId('marked-count').textContent).toBe('3 samples selected');

    fireEvent.click(screen.getByRole('button', { name: 'Favourite' }));
    await waitFor(() => expect(bodies).toContainEqual(['bulk', { sample_ids: [1, 2, 4], favorite: true }]));
    fireEvent.change(screen.getByLabelText('Tag for the selected samples'), { target: { value: 'dusty' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(bodies).toContainEqual(['bulk', { sample_ids: [1, 2, 4], add_tags: ['dusty'] }]));
    const col = screen.getByLabelText('Add the selected samples to a collection');
    await waitFor(() => expect(col).not.toBeDisabled());
    fireEvent.change(col, { target: { value: '7' } });
    await waitFor(() => expect(bodies).toContainEqual(['collection', { sample_ids: [1, 2, 4] }]));
    await screen.findByText('Added 3 samples to “Dusty”.');

    fireEvent.change(screen.getByLabelText('Name of a new kit from the selected samples'), { target: { value: 'Bulk kit' } });
    fireEvent.click(screen.getByRole('button', { name: 'Build kit' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/kits/5'));
    expect(bodies).toContainEqual(['kit', { name: 'Bulk kit', sample_ids: [1, 2, 4] }]);
  });

  it('shows a card grid on request, virtualised by lines of cards, and remembers it', async () => {
    const calls = stubApi();
    const { play } = setup();
    await screen.findByText('sample_00001.wav');
    fireEvent.click(screen.getByRole('button', { name: 'Cards' }));
    const grid = await screen.findByRole('list', { name: 'Samples' });
    const cards = grid.querySelectorAll('[role=listitem][data-sample-id]');
    // 1200 px wide: six cards a line; only the lines on screen (and a few more) exist.
    expect(cards.length).toBeGreaterThan(12);
    expect(cards.length).toBeLessThanOrEqual(100);
    expect(cards.length % 6).toBe(0);
    expect(screen.queryByRole('columnheader')).toBeNull();
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(play.mock.lastCall).toMatchObject([1, { rate: 1 }]);
    expect(grid.querySelector('[aria-current=true]')?.getAttribute('data-sample-id')).toBe('1');
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'bpm' } });
    await waitFor(() => expect(calls).toContain('GET /api/v1/samples?sort=bpm&page=1&limit=100'));
    expect(localStorage.getItem('sp404.libraryView')).toBe('cards');
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    expect(await screen.findByRole('table', { name: 'Samples' })).toBeInTheDocument();
    expect(localStorage.getItem('sp404.libraryView')).toBe('table');
  });

  it('puts the ticked samples on the free pads of a chosen kit, in pad order', async () => {
    stubApi();
    setup();
    await screen.findByText('sample_00001.wav');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00001.wav' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00002.wav' }));
    const kit = screen.getByLabelText('Add the selected samples to a kit');
    await waitFor(() => expect(kit).not.toBeDisabled());
    fireEvent.change(kit, { target: { value: '9' } });
    await screen.findByText('Put 2 samples on free pads of “Beat tape”.');
    expect(bodies.filter(([k]) => k.startsWith('pad '))).toEqual([
      ['pad A2', { sample_id: 1 }],
      ['pad A3', { sample_id: 2 }],
    ]);
  });

  it('clears the ticks from the bar', async () => {
    stubApi();
    setup();
    await screen.findByText('sample_00001.wav');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select sample_00002.wav' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('toolbar', { name: 'Selected samples' })).toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Select sample_00002.wav' })).not.toBeChecked();
  });

  it('does not play on selection with auto-play off, but Space does', async () => {
    stubApi();
    localStorage.setItem('sp404.autoplay', 'false');
    const { play } = setup();
    await screen.findByText('sample_00001.wav');
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(play).not.toHaveBeenCalled();
    act(() => {
      fireEvent.keyDown(document.body, { key: ' ' });
    });
    expect(play.mock.lastCall?.[0]).toBe(1);
    localStorage.removeItem('sp404.autoplay');
  });

  it('plays at the chosen kit tempo when switched on, and says so per row', async () => {
    stubApi();
    localStorage.setItem('sp404.kitTempo', 'true');
    localStorage.setItem('sp404.libraryTempo', '120');
    const { play, el } = setup();
    await screen.findByText('sample_00001.wav');
    expect(screen.getByRole('button', { name: 'Kit tempo' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('Tempo to play at (BPM)')).toHaveValue(120);
    // Odd ids are 90 BPM: 120 / 90 = 133.3 %. Even ids have no BPM and play at normal speed.
    const speedOf = (id: number) => document.querySelector(`[data-sample-id="${id}"] [data-col=speed]`)?.textContent;
    expect(speedOf(1)).toBe('133.3 %');
    expect(speedOf(4)).toBe('100 %');
    expect(document.querySelector('[data-sample-id="4"] [data-col=bpm]')).toHaveAttribute('title', 'No BPM: plays at normal speed.');
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(play.mock.lastCall).toMatchObject([1, { rate: 1.3333 }]);
    expect(el.playbackRate).toBe(1.3333);
    expect(el.preservesPitch).toBe(false);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('133.3 %: 90 → 120 BPM, pitch follows.');
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    });
    expect(el.playbackRate).toBe(1);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('No BPM: plays at normal speed.');
    // Switched off, the same row plays at normal speed again.
    fireEvent.click(screen.getByRole('button', { name: 'Kit tempo' }));
    act(() => {
      fireEvent.keyDown(document.body, { key: 'ArrowUp' });
    });
    expect(play.mock.lastCall).toMatchObject([1, { rate: 1 }]);
    expect(speedOf(1)).toBeUndefined();
    localStorage.clear();
  });

  it('loads the waveforms of the rows on screen in one request, and not again when they come back', async () => {
    // The batcher is shared by the whole app: let a batch an earlier test queued go out first.
    await new Promise((r) => setTimeout(r, 250));
    const calls = stubApi();
    setup();
    await screen.findByText('sample_00001.wav');
    const batched = () => calls.filter((c) => c.startsWith('GET /api/v1/waveforms?'));
    await waitFor(() => expect(batched().length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 300));
    expect(batched()).toHaveLength(1);
    const onScreen = [...document.querySelectorAll('[role=row][data-sample-id]')].map((r) => Number(r.getAttribute('data-sample-id')));
    const ids = new URL(`http://x${batched()[0].slice(4)}`).searchParams.get('ids')!.split(',').map(Number);
    // Every analysed row on screen (id 2's analysis failed), in one request, ascending.
    expect(ids).toEqual(onScreen.filter((id) => id !== 2).sort((a, b) => a - b));
    expect(calls.some((c) => /\/samples\/\d+\/waveform/.test(c))).toBe(false);

    // Scroll far down: the new rows are answered by one more request, for them only.
    const scroller = screen.getByTestId('library-scroller');
    await act(async () => {
      scroller.scrollTop = 3000 * 44;
      fireEvent.scroll(scroller);
    });
    await screen.findByText('sample_03001.wav');
    await waitFor(() => expect(batched()).toHaveLength(2));
    const more = new URL(`http://x${batched()[1].slice(4)}`).searchParams.get('ids')!.split(',').map(Number);
    expect(more.every((id) => id > 2900)).toBe(true);

    // Back at the top, the rows draw from the cache: no request.
    await act(async () => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await screen.findByText('sample_00001.wav');
    await new Promise((r) => setTimeout(r, 300));
    expect(batched()).toHaveLength(2);
  });

  it('sorts by a clicked column through the URL and the API', async () => {
    const calls = stubApi();
    const { router } = setup('/?q=kick');
    await screen.findByText('sample_00001.wav');
    fireEvent.click(screen.getByRole('button', { name: 'BPM' }));
    await waitFor(() => expect(router.state.location.search).toBe('?q=kick&sort=bpm'));
    await waitFor(() => expect(calls).toContain('GET /api/v1/samples?sort=bpm&q=kick&page=1&limit=100'));
    fireEvent.click(screen.getByRole('button', { name: /BPM/ }));
    await waitFor(() => expect(router.state.location.search).toBe('?q=kick&sort=-bpm'));
  });
});
