import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Kit, Pad } from '../../api/kits';
import { AudioProvider } from '../../audio/AudioProvider';
import { AudioEngine } from '../../audio/engine';
import { ChopDialog, type ChopSubject } from './ChopDialog';

const SAMPLE: ChopSubject = { id: 5, name: 'loop_120.wav', bpm: 120, duration: 2 };

function pad(bank: string, n: number, name = 'kick.wav'): Pad {
  return {
    bank, pad: n, sample_id: 9, sample_name: name, sample_rate: 44100, category: 'kick', duration_s: 0.5, bpm: null,
    settings: {
      attack: 0, bus: 0, chops: null, end_frame: 0, fine: 0, gate: false, hold: 100, level: 127, loop: false, mute_group: 0,
      one_shot: false, pan: 0, pitch: 0, play_mode: 'forward', release: 0, sample_bpm: 0, speed: 100, start_frame: 0,
    },
  };
}

function kit(device: Kit['device'] = 'mk2', pads: Pad[] = [pad('C', 2)]): Kit {
  return { id: 7, name: 'Kit', device, bpm: 96, bank_tempos: Array(10).fill(0), bank_volumes: Array(10).fill(127), pad_count: pads.length, pads } as Kit;
}

interface Stub {
  calls: string[];
  bodies: unknown[];
}

/** stubApi answers like the server: onsets find five slices, equal parts cut evenly, POST chops. */
function stubApi(opts: { onsets?: 'five' | 'none'; post?: 'ok' | 'refused' } = {}): Stub {
  const stub: Stub = { calls: [], bodies: [] };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      stub.calls.push(`${req.method} ${url.pathname}${url.search}`);
      const json = (body: unknown, status = 200) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' } });
      if (url.pathname === '/api/v1/samples/5/waveform') return json({ coarse: [-100, 100], fine: [-100, 100, -20, 20] });
      if (url.pathname === '/api/v1/samples/5/chop' && req.method === 'GET') {
        const n = Number(url.searchParams.get('slices'));
        if (url.searchParams.get('mode') === 'onsets') {
          if (opts.onsets === 'none') return json({ title: 'Conflict', status: 409, detail: 'sample 5 has too few onsets to chop; use mode equal' }, 409);
          return json({ points: [0, 10000, 30000, 50000, 70000].slice(0, n), frames: 88200, sample_rate: 44100 });
        }
        return json({ points: Array.from({ length: n }, (_, i) => Math.floor((88200 * i) / n)), frames: 88200, sample_rate: 44100 });
      }
      if (url.pathname === '/api/v1/samples/5/chop' && req.method === 'POST') {
        const body = await req.json();
        stub.bodies.push(body);
        if (opts.post === 'refused') return json({ title: 'Unprocessable Entity', status: 422, detail: '4 slices from pad 1 do not fit a bank of 3 pads' }, 422);
        return json(kit('mk2', [0, 1, 2, 3].map((i) => pad(body.bank, i + 1, 'loop_120.wav'))));
      }
      return json({ title: 'Not Found', status: 404, detail: 'no such thing' }, 404);
    }),
  );
  return stub;
}

function setup(k = kit()) {
  const el = document.createElement('audio');
  el.play = vi.fn(() => Promise.resolve());
  el.pause = vi.fn();
  const engine = new AudioEngine(el);
  const play = vi.spyOn(engine, 'play');
  const onClose = vi.fn();
  const onDone = vi.fn();
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <AudioProvider engine={engine}>
        <ChopDialog kit={k} subject={SAMPLE} bank="C" pad={1} onClose={onClose} onDone={onDone} />
      </AudioProvider>
    </QueryClientProvider>,
  );
  return { play, onClose, onDone, qc };
}

const dialog = () => screen.getByRole('dialog', { name: 'Chop loop_120.wav' });
const applyButton = () => within(dialog()).getByRole('button', { name: /^(Chop into|Write chop points)/ });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('ChopDialog', () => {
  it('shows where the onsets cut the loop before anything changes', async () => {
    const stub = stubApi();
    setup();
    expect(within(dialog()).getByLabelText('At the onsets (the hits)')).toHaveFocus();
    await within(dialog()).findByText(/^5 slices/);
    // Four cuts (the first slice starts at 0), placed by frame.
    const cuts = screen.getAllByTestId('cut');
    expect(cuts.map((c) => c.style.left)).toEqual([`${(10000 / 88200) * 100}%`, `${(30000 / 88200) * 100}%`, `${(50000 / 88200) * 100}%`, `${(70000 / 88200) * 100}%`]);
    expect(screen.getByTestId('chop-summary')).toHaveTextContent('5 slices (the loop has fewer clear hits than the 8 asked for) on pads C1–C5.');
    // C2 holds a kick: the dialog says it will go.
    expect(within(dialog()).getByText('C2 holds a sample that will be replaced.')).toBeInTheDocument();
    expect(applyButton()).toHaveTextContent('Chop into C1–C5, replacing 1');
    expect(stub.calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('cuts into N equal parts, plays a slice, and applies the chop to the pads', async () => {
    const stub = stubApi();
    const { play, onDone } = setup(kit('mk2', []));
    fireEvent.click(within(dialog()).getByLabelText('Into equal parts'));
    fireEvent.change(within(dialog()).getByLabelText(/Slices/), { target: { value: '4' } });
    await waitFor(() => expect(screen.getAllByTestId('cut')).toHaveLength(3));
    expect(screen.getAllByTestId('cut').map((c) => c.style.left)).toEqual(['25%', '50%', '75%']);
    expect(stub.calls).toContain('GET /api/v1/samples/5/chop?mode=equal&slices=4');
    // Each slice can be heard on its own.
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Play slice 2 (0.50–1.00 s)' }));
    expect(play).toHaveBeenLastCalledWith(5, expect.objectContaining({ from: 0.5, to: 1, rate: 1 }));
    expect(applyButton()).toHaveTextContent('Chop into C1–C4');
    fireEvent.click(applyButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(stub.bodies).toEqual([{ mode: 'equal', slices: 4, kit_id: 7, bank: 'C', start_pad: 1 }]);
    expect(onDone).toHaveBeenCalledWith({ bank: 'C', pad: 1, pads: ['C1', 'C2', 'C3', 'C4'], table: false, slices: 4 });
  });

  it('refuses slices that run past the bank, and bad counts, before asking the server', async () => {
    stubApi();
    setup();
    fireEvent.click(within(dialog()).getByLabelText('Into equal parts'));
    fireEvent.change(within(dialog()).getByLabelText('From pad'), { target: { value: '14' } });
    await within(dialog()).findByText('8 slices from pad 14 do not fit a bank of 16 pads: start at pad 9 or lower, or use fewer slices.');
    expect(applyButton()).toBeDisabled();
    fireEvent.change(within(dialog()).getByLabelText(/Slices/), { target: { value: '17' } });
    expect(within(dialog()).getByRole('alert')).toHaveTextContent('Slices must be a whole number from 2 to 16.');
    expect(applyButton()).toBeDisabled();
    fireEvent.change(within(dialog()).getByLabelText(/Slices/), { target: { value: '3' } });
    await waitFor(() => expect(applyButton()).toBeEnabled());
    expect(applyButton()).toHaveTextContent('Chop into C14–C16');
  });

  it("shows the server's refusals: too few onsets (with a way out) and a refused chop", async () => {
    stubApi({ onsets: 'none', post: 'refused' });
    setup();
    const alert = await within(dialog()).findByRole('alert');
    expect(alert).toHaveTextContent('sample 5 has too few onsets to chop; use mode equal');
    expect(applyButton()).toBeDisabled();
    fireEvent.click(within(alert).getByRole('button', { name: 'Cut into equal parts instead' }));
    expect(within(dialog()).getByLabelText('Into equal parts')).toBeChecked();
    // The button left with the message; the focus stays in the dialog, on the choice made.
    expect(within(dialog()).getByLabelText('Into equal parts')).toHaveFocus();
    await waitFor(() => expect(applyButton()).toBeEnabled());
    fireEvent.click(applyButton());
    expect(await within(dialog()).findByText('The chop was refused: 4 slices from pad 1 do not fit a bank of 3 pads')).toHaveAttribute('role', 'alert');
  });

  it("writes chop points onto one pad (the MKII's chop table)", async () => {
    const stub = stubApi();
    setup();
    fireEvent.click(within(dialog()).getByLabelText('As chop points on one pad'));
    await waitFor(() => expect(applyButton()).toBeEnabled());
    expect(applyButton()).toHaveTextContent('Write chop points to C1');
    expect(screen.getByTestId('chop-summary')).toHaveTextContent('written as chop points on pad C1');
    fireEvent.click(applyButton());
    await waitFor(() => expect(stub.bodies).toHaveLength(1));
    expect(stub.bodies[0]).toMatchObject({ table: true, start_pad: 1, bank: 'C' });
  });

  it('has no chop table on the SX, and closes on Escape', async () => {
    stubApi();
    const { onClose } = setup(kit('sx', []));
    expect(within(dialog()).getByLabelText(/As chop points on one pad/)).toBeDisabled();
    expect(within(dialog()).getByLabelText('From pad').querySelectorAll('option')).toHaveLength(12);
    fireEvent.keyDown(within(dialog()).getByLabelText('Into equal parts'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
