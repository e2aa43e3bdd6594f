import { AudioEngine } from './engine';
import { tempoSpeed } from './tempo';

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
    expect(e.getState()).toEqual({ id: 7, playing: true, rate: 1, speed: null, from: 0, to: null });
    const src = el.src;
    el.currentTime = 0.3;
    e.replay();
    expect(el.src).toBe(src);
    expect(el.currentTime).toBe(0);
    expect(el.play).toHaveBeenCalledTimes(2);
  });

  it('asks the server for WAV when the browser cannot play the file, and keeps to it', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.play(5, { from: 0.5 });
    Object.defineProperty(el, 'error', { configurable: true, value: { code: 4 } });
    el.dispatchEvent(new Event('error'));
    expect(el.src).toMatch(/\/samples\/5\/audio\?as=wav$/);
    expect(el.currentTime).toBe(0.5);
    expect(el.play).toHaveBeenCalledTimes(2);
    el.dispatchEvent(new Event('error')); // the WAV failing too is not retried
    expect(el.play).toHaveBeenCalledTimes(2);
    e.play(6);
    e.play(5);
    expect(el.src).toMatch(/\/samples\/5\/audio\?as=wav$/);
  });

  it('does not swap the file for other errors', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.play(3);
    Object.defineProperty(el, 'error', { configurable: true, value: { code: 2 } });
    el.dispatchEvent(new Event('error'));
    expect(el.src).toMatch(/\/samples\/3\/audio$/);
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
    expect(e.getState()).toEqual({ id: 2, playing: false, rate: 1, speed: null, from: 0, to: null });
  });

  it('plays at a rate with the pitch following, and back at normal speed on a plain play', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    const speed = tempoSpeed(true, 96, 120);
    e.play(4, { rate: speed.rate, speed });
    expect(el.playbackRate).toBe(0.8);
    // A new src resets playbackRate to the default, so the default carries the rate too.
    expect(el.defaultPlaybackRate).toBe(0.8);
    expect(el.preservesPitch).toBe(false);
    expect(e.getState()).toMatchObject({ id: 4, rate: 0.8, speed: { reason: 'tempo', sampleBpm: 120, targetBpm: 96 } });
    e.play(5);
    expect(el.playbackRate).toBe(1);
    expect(e.getState()).toMatchObject({ id: 5, rate: 1, speed: null });
  });

  it('changes the speed of the loaded sample in place and ignores bad rates', () => {
    const el = fakeAudio();
    const e = new AudioEngine(el);
    e.setRate(1.2); // nothing loaded: nothing to change
    expect(e.getState().rate).toBe(1);
    e.play(1);
    const seen: number[] = [];
    e.subscribe(() => seen.push(e.getState().rate));
    e.setRate(1.25);
    expect(el.playbackRate).toBe(1.25);
    e.setRate(Number.NaN);
    expect(el.playbackRate).toBe(1);
    expect(seen).toEqual([1.25, 1]);
  });

  it('plays a slice: starts at its start, pauses at its end and replays from its start', () => {
    vi.useFakeTimers();
    try {
      const el = fakeAudio();
      const e = new AudioEngine(el);
      e.play(3, { from: 0.5, to: 1, rate: 2 });
      expect(el.currentTime).toBe(0.5);
      expect(e.getState()).toMatchObject({ id: 3, from: 0.5, to: 1 }); // the pad playing can be told apart from its neighbours
      // At double speed the half-second slice lasts a quarter of a second.
      el.currentTime = 0.9;
      vi.advanceTimersByTime(260);
      expect(el.pause).not.toHaveBeenCalled(); // the clock says 0.9 s: not there yet, look again
      el.currentTime = 1;
      vi.advanceTimersByTime(60);
      expect(el.pause).toHaveBeenCalled();
      expect(el.currentTime).toBe(0.5);
      expect(e.getState().playing).toBe(false);
      e.replay();
      expect(el.currentTime).toBe(0.5);
      e.stop();
      expect(el.currentTime).toBe(0.5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resumes a finished slice from its start, and a seek plays on to the end at the same speed', () => {
    vi.useFakeTimers();
    try {
      const el = fakeAudio();
      const e = new AudioEngine(el);
      e.play(3, { from: 1, to: 2, rate: 1.5 });
      el.pause();
      el.currentTime = 2;
      e.toggle();
      expect(el.currentTime).toBe(1);
      e.seek(3, 0.75, 4);
      expect(el.currentTime).toBe(3);
      expect(e.getState()).toMatchObject({ from: 0, to: null });
      expect(el.playbackRate).toBe(1.5);
      el.currentTime = 3.5;
      vi.advanceTimersByTime(5000);
      expect(e.getState().playing).toBe(true); // no slice end any more
      // A seek in another sample loads it at normal speed.
      e.seek(9, 0.5, 2);
      expect(el.src).toMatch(/\/samples\/9\/audio$/);
      expect(el.currentTime).toBe(1);
      expect(el.playbackRate).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
