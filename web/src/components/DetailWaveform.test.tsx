import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { AudioProvider } from '../audio/AudioProvider';
import { AudioEngine } from '../audio/engine';
import type { Region } from '../lib/waveformView';
import { DetailWaveform, type WaveformSubject } from './DetailWaveform';

// A 2-second loop with 1024 fine buckets, drawn 400 px wide: 1 px is 5 ms at the fit zoom.
const SUBJECT: WaveformSubject = { id: 5, name: 'loop_120.wav', bpm: 120, duration: 2 };
const PEAKS = Array.from({ length: 2048 }, (_, i) => (i % 2 ? 60 : -60));
const WIDTH = 400;

function Harness({ onRegion }: { onRegion?: (r: Region | null) => void }) {
  const [region, setRegion] = useState<Region | null>(null);
  return (
    <DetailWaveform
      subject={SUBJECT}
      peaks={PEAKS}
      region={region}
      onRegionChange={(r) => {
        setRegion(r);
        onRegion?.(r);
      }}
    />
  );
}

function setup() {
  const el = document.createElement('audio');
  el.play = vi.fn(() => Promise.resolve());
  el.pause = vi.fn();
  const engine = new AudioEngine(el);
  const play = vi.spyOn(engine, 'play');
  const seek = vi.spyOn(engine, 'seek');
  const onRegion = vi.fn();
  render(
    <AudioProvider engine={engine}>
      <Harness onRegion={onRegion} />
    </AudioProvider>,
  );
  const wave = screen.getByRole('group', { name: 'Waveform editor for loop_120.wav' });
  // jsdom lays nothing out: give the waveform (and the scrollbar) a width to map pointers against.
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ left: 0, top: 0, right: WIDTH, bottom: 100, width: WIDTH, height: 100, x: 0, y: 0, toJSON: () => ({}) } as DOMRect);
  return { engine, play, seek, onRegion, wave };
}

function dragAcross(el: HTMLElement, from: number, to: number) {
  fireEvent.pointerDown(el, { button: 0, pointerId: 1, clientX: from });
  fireEvent.pointerMove(el, { pointerId: 1, clientX: (from + to) / 2 });
  fireEvent.pointerMove(el, { pointerId: 1, clientX: to });
  fireEvent.pointerUp(el, { pointerId: 1, clientX: to });
}

const regionText = () => screen.getByTestId('waveform-region');
const view = () => screen.getByTestId('waveform-view').textContent;

afterEach(() => vi.restoreAllMocks());

describe('DetailWaveform', () => {
  it('draws the peaks in one canvas labelled as the sample’s waveform', () => {
    setup();
    const img = screen.getByRole('img', { name: 'Waveform of loop_120.wav' });
    expect(img).toHaveAttribute('data-peaks', 'loaded');
    expect(img.querySelectorAll('canvas')).toHaveLength(1);
    expect(view()).toBe('0.00–2.00 s');
    expect(screen.getByTestId('waveform-zoom')).toHaveTextContent('1×');
  });

  it('selects a region by dragging and plays only that slice through the engine', () => {
    const { play, wave } = setup();
    expect(screen.getByRole('button', { name: 'Play region' })).toBeDisabled();
    dragAcross(wave, 100, 200);
    expect(regionText()).toHaveTextContent('Region 0.500–1.000 s (0.500 s)');
    expect(regionText()).toHaveAttribute('data-start', '0.5000');
    expect(regionText()).toHaveAttribute('data-end', '1.0000');
    expect(screen.getByTestId('waveform-region-shade')).toHaveStyle({ left: '25%' });

    fireEvent.click(screen.getByRole('button', { name: 'Play region' }));
    expect(play).toHaveBeenCalledTimes(1);
    expect(play).toHaveBeenCalledWith(5, expect.objectContaining({ from: 0.5, to: 1 }));
  });

  it('selects right to left too, and drags a region’s edge to resize it', () => {
    const { wave } = setup();
    dragAcross(wave, 300, 100);
    expect(regionText()).toHaveTextContent('Region 0.500–1.500 s');
    // Grab the end edge (at 300 px) and pull it back to 250 px.
    dragAcross(wave, 301, 250);
    expect(regionText()).toHaveTextContent('Region 0.500–1.250 s');
  });

  it('a click clears the region and plays from there; Esc clears it too', () => {
    const { seek, wave } = setup();
    dragAcross(wave, 100, 200);
    fireEvent.pointerDown(wave, { button: 0, pointerId: 1, clientX: 300 });
    fireEvent.pointerUp(wave, { pointerId: 1, clientX: 300 });
    expect(regionText()).toHaveTextContent('Drag across the waveform to select a region');
    expect(seek).toHaveBeenCalledWith(5, 0.75, 2);

    dragAcross(wave, 100, 200);
    fireEvent.keyDown(wave, { key: 'Escape' });
    expect(regionText()).not.toHaveTextContent('Region');
  });

  it('Space plays the region from the focused waveform, and stops it when it plays', () => {
    const { engine, play, wave } = setup();
    dragAcross(wave, 40, 80);
    expect(wave).toHaveFocus();
    fireEvent.keyDown(wave, { key: ' ' });
    expect(play).toHaveBeenCalledWith(5, expect.objectContaining({ from: 0.2, to: 0.4 }));
    act(() => engine.el.dispatchEvent(new Event('playing')));
    const stop = vi.spyOn(engine, 'stop');
    fireEvent.keyDown(wave, { key: ' ' });
    expect(stop).toHaveBeenCalled();
  });

  it('zooms with the buttons around the region and back to fit', () => {
    const { wave } = setup();
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
    expect(screen.getByTestId('waveform-scrollbar')).toHaveClass('invisible');
    dragAcross(wave, 150, 250); // 0.75–1.25 s, centred on 1 s
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(view()).toBe('0.50–1.50 s');
    expect(screen.getByTestId('waveform-zoom')).toHaveTextContent('2×');
    expect(screen.getByTestId('waveform-scrollbar')).not.toHaveClass('invisible');
    // The region's shade follows the zoom: 0.75 s is now a quarter of the way across.
    expect(screen.getByTestId('waveform-region-shade')).toHaveStyle({ left: '25%' });
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(view()).toBe('0.750–1.250 s');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom to fit' }));
    expect(view()).toBe('0.00–2.00 s');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom to region' }));
    expect(view()).toBe('0.725–1.275 s');
  });

  it('zooms around the pointer with the wheel and scrolls with Shift+wheel', () => {
    const { wave } = setup();
    // Ctrl+wheel up at 100 px (0.5 s) zooms by e^0.6: 0.5 s stays a quarter of the way across.
    const ev = new WheelEvent('wheel', { deltaY: -300, ctrlKey: true, clientX: 100, bubbles: true, cancelable: true });
    act(() => {
      wave.dispatchEvent(ev);
    });
    expect(ev.defaultPrevented).toBe(true);
    expect(view()).toBe('0.23–1.32 s');
    // Shift+wheel scrolls: 100 px of a 400 px view is a quarter of it.
    act(() => {
      wave.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, shiftKey: true, clientX: 100, bubbles: true, cancelable: true }));
    });
    expect(view()).toBe('0.50–1.60 s');
    // Fully zoomed out, a plain wheel down is left to the page.
    act(() => screen.getByRole('button', { name: 'Zoom to fit' }).click());
    const down = new WheelEvent('wheel', { deltaY: 100, clientX: 100, bubbles: true, cancelable: true });
    wave.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(false);
  });

  it('is driven by the keyboard: zoom, scroll, select and nudge', () => {
    const { wave } = setup();
    wave.focus();
    fireEvent.keyDown(wave, { key: '+' });
    expect(view()).toBe('0.50–1.50 s');
    fireEvent.keyDown(wave, { key: 'ArrowRight' }); // scrolls a tenth of the view
    expect(view()).toBe('0.60–1.60 s');
    fireEvent.keyDown(wave, { key: 'Home' });
    expect(view()).toBe('0.00–1.00 s');
    // Shift+→ starts a region at the view's start and lengthens it a fiftieth of the view a press.
    fireEvent.keyDown(wave, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(wave, { key: 'ArrowRight', shiftKey: true });
    expect(regionText()).toHaveTextContent('Region 0.000–0.040 s');
    // → moves the whole region.
    fireEvent.keyDown(wave, { key: 'ArrowRight' });
    expect(regionText()).toHaveTextContent('Region 0.020–0.060 s');
    fireEvent.keyDown(wave, { key: '0' });
    expect(view()).toBe('0.00–2.00 s');
  });

  it('scrolls a zoomed view with the scrollbar', () => {
    const { wave } = setup();
    fireEvent.keyDown(wave, { key: '+' }); // 0.5–1.5 s: the thumb is half the track
    const bar = screen.getByRole('scrollbar', { name: 'Scroll the waveform' });
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    // Take the thumb at its middle (200 px) and drag it to the right end.
    fireEvent.pointerDown(bar, { button: 0, pointerId: 2, clientX: 200 });
    fireEvent.pointerMove(bar, { pointerId: 2, clientX: 400 });
    fireEvent.pointerUp(bar, { pointerId: 2, clientX: 400 });
    expect(view()).toBe('1.00–2.00 s');
  });
});
