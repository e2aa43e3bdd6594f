import { fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { Sample } from '../api/client';
import { AudioProvider } from '../audio/AudioProvider';
import { AudioEngine } from '../audio/engine';
import SampleDetailPage from './SampleDetailPage';

const SAMPLE = {
  id: 5, file_name: 'loop_120.wav', analysis_state: 'done', analysis_version: '1', analyzed_at: null, bit_depth: 16, bpm: 120,
  bpm_alternates: [], bpm_confidence: 0.9, bpm_source: 'audio', category: 'drums', category_confidence: 0.8, channels: 1,
  content_hash: 'x', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', duration_s: 2, favorite: false,
  format: 'wav', frames: 88200, key: null, key_confidence: 0, loudness_lufs: -14, notes: '', peak_dbfs: -1, rating: 0, root_note: null,
  sample_rate: 44100, scale: null, size_bytes: 176444, spectral: null, tags: [], true_peak_dbtp: -1, type: 'loop',
  source_id: null, region_start_frame: null, region_end_frame: null,
} as unknown as Sample;

/** The loop's second quarter, chopped onto a pad: a sample of its own that plays part of the loop's file. */
const SLICE = {
  ...SAMPLE, id: 6, file_name: 'loop_120 slice 02.wav', content_hash: 'y', duration_s: 0.5, frames: 22050,
  source_id: 5, region_start_frame: 22050, region_end_frame: 44100,
} as unknown as Sample;

/** The server knows the sample and its peaks; the page's other cards find nothing, which they show as such. */
function stubApi() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const { pathname } = new URL(req.url);
      const json = (body: unknown, status = 200) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' } });
      if (pathname === '/api/v1/samples/5') return json(SAMPLE);
      if (pathname === '/api/v1/samples/6') return json(SLICE);
      if (pathname === '/api/v1/samples/5/waveform') return json({ coarse: [-100, 100], fine: Array.from({ length: 2048 }, (_, i) => (i % 2 ? 80 : -80)) });
      return json({ title: 'Not Found', status: 404, detail: 'no such thing' }, 404);
    }),
  );
}

function renderPage(path: string) {
  const el = document.createElement('audio');
  el.play = vi.fn(() => Promise.resolve());
  el.pause = vi.fn();
  const engine = new AudioEngine(el);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <AudioProvider engine={engine}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/samples/:id" element={<SampleDetailPage />} />
          </Routes>
        </MemoryRouter>
      </AudioProvider>
    </QueryClientProvider>,
  );
  return engine;
}

async function setup() {
  stubApi();
  const engine = renderPage('/samples/5');
  const play = vi.spyOn(engine, 'play');
  const wave = await screen.findByRole('group', { name: 'Waveform editor for loop_120.wav' });
  await screen.findByRole('img', { name: 'Waveform of loop_120.wav' }).then((img) => expect(img).toHaveAttribute('data-peaks', 'loaded'));
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 0, top: 0, right: 400, bottom: 100, width: 400, height: 100, x: 0, y: 0, toJSON: () => ({}) } as DOMRect);
  return { play, wave };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('SampleDetailPage waveform', () => {
  it('Space plays the whole sample, or only the region once one is selected', async () => {
    const { play, wave } = await setup();
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(play).toHaveBeenLastCalledWith(5);

    fireEvent.pointerDown(wave, { button: 0, pointerId: 1, clientX: 200 });
    fireEvent.pointerMove(wave, { pointerId: 1, clientX: 300 });
    fireEvent.pointerUp(wave, { pointerId: 1, clientX: 300 });
    expect(screen.getByTestId('waveform-region')).toHaveTextContent('Region 1.000–1.500 s (0.500 s)');

    // From anywhere on the page (not only the focused waveform), Space auditions the region.
    (document.activeElement as HTMLElement | null)?.blur();
    play.mockClear();
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(play).toHaveBeenCalledWith(5, expect.objectContaining({ from: 1, to: 1.5 }));

    // Esc anywhere clears it; Space is the whole sample's again.
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.getByTestId('waveform-region')).toHaveTextContent('Drag across the waveform to select a region');
    expect(screen.getByRole('button', { name: 'Play region' })).toBeDisabled();
  });
});

describe('SampleDetailPage of a slice', () => {
  it('says which sample it is a slice of, and links to it', async () => {
    stubApi();
    renderPage('/samples/6');
    const line = await screen.findByTestId('slice-of');
    const link = await screen.findByRole('link', { name: 'loop_120.wav' });
    expect(link).toHaveAttribute('href', '/samples/5');
    expect(line).toHaveTextContent('Slice of loop_120.wav, 0.500–1.000 s of its file');
  });

  it('says nothing of the kind for a sample with its own file', async () => {
    await setup();
    expect(screen.queryByTestId('slice-of')).toBeNull();
  });
});
