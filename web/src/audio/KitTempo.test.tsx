import { fireEvent, render, screen } from '@testing-library/react';
import { AudioProvider, TempoScope, useAudition } from './AudioProvider';
import { AudioEngine } from './engine';
import { KitTempoToggle, SpeedStatus } from './KitTempo';

function fakeEngine() {
  const el = document.createElement('audio');
  let paused = true;
  Object.defineProperty(el, 'paused', { get: () => paused });
  el.play = vi.fn(() => {
    paused = false;
    el.dispatchEvent(new Event('playing'));
    return Promise.resolve();
  });
  el.pause = vi.fn(() => {
    paused = true;
    el.dispatchEvent(new Event('pause'));
  });
  return { el, engine: new AudioEngine(el) };
}

function Pads() {
  const audition = useAudition();
  return (
    <>
      <button type="button" onClick={() => audition.play({ id: 1, bpm: 120 })}>
        loop
      </button>
      <button type="button" onClick={() => audition.play({ id: 2, bpm: null })}>
        kick
      </button>
      <button type="button" onClick={() => audition.play({ id: 3, bpm: 60 }, { target: 84 })}>
        bank B loop
      </button>
      <span data-testid="speed-of-loop">{audition.speedFor(120).rate}</span>
    </>
  );
}

function setup(bpm: number | null = 96) {
  const { el, engine } = fakeEngine();
  render(
    <AudioProvider engine={engine}>
      <TempoScope bpm={bpm}>
        <KitTempoToggle />
        <SpeedStatus />
        <Pads />
      </TempoScope>
    </AudioProvider>,
  );
  return el;
}

afterEach(() => localStorage.clear());

describe('play at kit tempo', () => {
  it('is off at first: everything plays at normal speed and nothing is claimed', () => {
    const el = setup();
    const toggle = screen.getByRole('button', { name: 'Play at kit tempo' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(screen.getByRole('button', { name: 'loop' }));
    expect(el.playbackRate).toBe(1);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('');
  });

  it('switched on, plays at kit BPM / sample BPM with the pitch following, and says why', () => {
    const el = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Play at kit tempo' }));
    expect(screen.getByRole('button', { name: 'Play at kit tempo' })).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('sp404.kitTempo')).toBe('true');
    expect(screen.getByTestId('speed-of-loop')).toHaveTextContent('0.8');
    fireEvent.click(screen.getByRole('button', { name: 'loop' }));
    expect(el.playbackRate).toBe(0.8);
    expect(el.preservesPitch).toBe(false);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('80 %: 120 → 96 BPM, pitch follows.');
    // A sample without a BPM plays at normal speed, and the status says so.
    fireEvent.click(screen.getByRole('button', { name: 'kick' }));
    expect(el.playbackRate).toBe(1);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('No BPM: plays at normal speed.');
    // A bank's own tempo (84) wins over the kit's; 84/60 = 140 %.
    fireEvent.click(screen.getByRole('button', { name: 'bank B loop' }));
    expect(el.playbackRate).toBe(1.4);
  });

  it('retunes the sample in the player when switched, without restarting it', () => {
    const el = setup();
    fireEvent.click(screen.getByRole('button', { name: 'loop' }));
    expect(el.playbackRate).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Play at kit tempo' }));
    expect(el.playbackRate).toBe(0.8);
    fireEvent.click(screen.getByRole('button', { name: 'Play at kit tempo' }));
    expect(el.playbackRate).toBe(1);
    expect(el.play).toHaveBeenCalledTimes(1);
  });

  it('remembers the switch, and without a tempo in scope plays at normal speed', () => {
    localStorage.setItem('sp404.kitTempo', 'true');
    const el = setup(null);
    expect(screen.getByRole('button', { name: 'Play at kit tempo' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'loop' }));
    expect(el.playbackRate).toBe(1);
    expect(screen.getByTestId('speed-status')).toHaveTextContent('Normal speed: choose a tempo to play at.');
  });
});
