import { AudioEngine } from './engine';

// jsdom has no media playback: play() and pause() are stubbed to fire the events a browser would.
function fakeAudio() {
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
  return el;
}

describe('AudioEngine', () => {
  it('loads a sample once and restarts it on replay', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.play(7);
    expect(el.src).toMatch(/\/api\/v1\/samples\/7\/audio$/);
    expect(e.getState()).toEqual({ id: 7, playing: true });
    const src = el.src;
    el.currentTime = 0.3;
    e.replay();
    expect(el.src).toBe(src);
    expect(el.currentTime).toBe(0);
    expect(el.play).toHaveBeenCalledTimes(2);
  });

  it('switches the same element to another sample', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.play(1);
    e.play(2);
    expect(el.src).toMatch(/\/samples\/2\/audio$/);
    expect(e.getState().id).toBe(2);
  });

  it('stops, toggles and notifies subscribers on each change', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    const seen: string[] = [];
    e.subscribe(() => seen.push(`${e.getState().id}:${e.getState().playing}`));
    e.toggle(); // nothing loaded: nothing happens
    e.play(3);
    e.toggle();
    e.toggle();
    e.stop();
    expect(seen).toEqual(['3:false', '3:true', '3:false', '3:true', '3:false']);
  });

  it('reports progress only for the loaded sample', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.play(5);
    el.currentTime = 1;
    expect(e.progress(5, 4)).toBe(0.25);
    expect(e.progress(6, 4)).toBe(-1);
  });

  it('treats an interrupted play() as normal, and a refused one as stopped', async () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    el.play = vi.fn(() => Promise.reject(new DOMException('interrupted', 'AbortError')));
    e.play(1);
    await Promise.resolve();
    el.play = vi.fn(() => {
      el.dispatchEvent(new Event('playing'));
      return Promise.reject(new DOMException('no gesture', 'NotAllowedError'));
    });
    e.play(2);
    await new Promise((r) => setTimeout(r));
    expect(e.getState()).toEqual({ id: 2, playing: false });
  });
});
