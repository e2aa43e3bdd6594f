import { audioUrl, wavUrl } from '../api/client';
import type { Speed } from './tempo';

export interface EngineState {
  /** id of the sample loaded in the player, or null. */
  id: number | null;
  playing: boolean;
  /** the playback rate in use (1 = normal; the pitch follows it). */
  rate: number;
  /** why the loaded sample plays at that rate, when it was auditioned against a tempo. */
  speed: Speed | null;
  /** the part being played, in seconds: from `from` to `to` (null: to the end) */
  from: number;
  to: number | null;
}

export interface PlayOptions {
  /** where to start, in seconds of the sample */
  from?: number;
  /** where to stop, in seconds (a pad's slice); the end of the sample when left out */
  to?: number;
  /** playback rate, vinyl-style: the pitch follows the speed; 1 when left out */
  rate?: number;
  /** the reason for the rate, kept in the state for the UI */
  speed?: Speed | null;
}

type PitchElement = HTMLAudioElement & { webkitPreservesPitch?: boolean };

/**
 * AudioEngine is the app's one player: a single HTMLAudioElement that every view drives. It
 * exposes a tiny store (subscribe/getState) for React and reads position on demand, so a moving
 * playhead costs no React renders. A play can be limited to a slice of the sample (a chopped pad)
 * and run at another speed with the pitch following, as a sampler without time-stretch does.
 */
export class AudioEngine {
  readonly el: HTMLAudioElement;
  private state: EngineState = { id: null, playing: false, rate: 1, speed: null, from: 0, to: null };
  private listeners = new Set<() => void>();
  private segment: { from: number; to?: number } = { from: 0 };
  private endTimer: ReturnType<typeof setTimeout> | undefined;
  /** samples whose own file this browser cannot play (AIFF in Chromium): they load as WAV */
  private asWAV = new Set<number>();

  constructor(el: HTMLAudioElement) {
    this.el = el;
    el.preload = 'auto';
    el.addEventListener('playing', () => {
      this.set({ playing: true });
      this.watchEnd();
    });
    el.addEventListener('pause', () => {
      clearTimeout(this.endTimer);
      this.set({ playing: false });
    });
    el.addEventListener('ended', () => this.set({ playing: false }));
    // A container the browser cannot decode is asked for again, decoded to WAV by the server.
    el.addEventListener('error', () => {
      const id = this.state.id;
      if (id === null || el.error?.code !== 4 /* MEDIA_ERR_SRC_NOT_SUPPORTED */ || this.asWAV.has(id)) return;
      this.asWAV.add(id);
      el.src = wavUrl(id);
      el.currentTime = this.segment.from;
      this.start();
    });
    el.addEventListener('emptied', () => this.set({ playing: false }));
    // A change of speed or position moves the moment a slice ends.
    el.addEventListener('ratechange', () => this.watchEnd());
    el.addEventListener('seeked', () => this.watchEnd());
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = () => this.state;

  private set(p: Partial<EngineState>) {
    const next = { ...this.state, ...p };
    const s = this.state;
    if (next.id === s.id && next.playing === s.playing && next.rate === s.rate && next.speed === s.speed && next.from === s.from && next.to === s.to) return;
    this.state = next;
    for (const fn of this.listeners) fn();
  }

  /**
   * play starts sample id (loading it when another one is loaded) from `from` seconds, optionally
   * stopping at `to` and at another rate. A play without a rate is at normal speed.
   */
  play(id: number, opts: PlayOptions = {}) {
    const url = this.asWAV.has(id) ? wavUrl(id) : audioUrl(id);
    if (this.state.id !== id || !this.el.src.endsWith(url)) {
      this.el.src = url;
      this.set({ id, playing: false });
    }
    const from = Math.max(0, opts.from ?? 0);
    this.setSegment(from, opts.to !== undefined && opts.to > from ? opts.to : undefined);
    this.applyRate(opts.rate ?? 1, opts.speed ?? null);
    this.el.currentTime = from;
    this.start();
  }

  /** setRate changes the speed of the loaded sample, playing or not (kit tempo switched on or off). */
  setRate(rate: number, speed: Speed | null = null) {
    if (this.state.id === null) return;
    this.applyRate(rate, speed);
  }

  /** replay restarts the loaded sample (or its slice). */
  replay() {
    if (this.state.id === null) return;
    this.el.currentTime = this.segment.from;
    this.start();
  }

  /** stop pauses and rewinds to the start of the sample (or its slice). */
  stop() {
    this.el.pause();
    if (this.state.id !== null && Number.isFinite(this.el.duration)) this.el.currentTime = this.segment.from;
  }

  /** toggle pauses a playing sample or resumes the loaded one (from the slice's start once it has ended). */
  toggle() {
    if (this.state.id === null) return;
    if (this.el.paused) {
      const to = this.segment.to;
      if (to !== undefined && this.el.currentTime >= to - 0.005) this.el.currentTime = this.segment.from;
      this.start();
    } else this.el.pause();
  }

  /**
   * seek jumps to a fraction (0–1) of sample id and plays from there to the end. A seek in the
   * loaded sample keeps its speed.
   */
  seek(id: number, fraction: number, durationHint: number) {
    const loaded = this.state.id === id;
    const d = Number.isFinite(this.el.duration) && loaded ? this.el.duration : durationHint;
    const t = Math.max(0, Math.min(1, fraction)) * d;
    if (!loaded) {
      this.play(id, { from: t });
      return;
    }
    this.setSegment(0, undefined);
    this.el.currentTime = t;
    this.start();
  }

  /** progress is the played fraction (0–1) of sample id, or -1 when it is not the loaded one. */
  progress(id: number, durationHint: number): number {
    if (this.state.id !== id) return -1;
    const d = Number.isFinite(this.el.duration) && this.el.duration > 0 ? this.el.duration : durationHint;
    if (!(d > 0)) return 0;
    return Math.max(0, Math.min(1, this.el.currentTime / d));
  }

  private setSegment(from: number, to: number | undefined) {
    this.segment = { from, to };
    this.set({ from, to: to ?? null });
  }

  private applyRate(rate: number, speed: Speed | null) {
    const r = Number.isFinite(rate) && rate > 0 ? rate : 1;
    const el = this.el as PitchElement;
    // Vinyl-style: faster is higher, as on the device. Safari before 17 knows only the prefixed name.
    el.preservesPitch = false;
    if ('webkitPreservesPitch' in el) el.webkitPreservesPitch = false;
    // A new src resets playbackRate to defaultPlaybackRate, so both carry the rate.
    el.defaultPlaybackRate = r;
    el.playbackRate = r;
    this.set({ rate: r, speed });
  }

  /** watchEnd pauses at the end of a slice, then rewinds to its start for the next play. */
  private watchEnd() {
    clearTimeout(this.endTimer);
    const to = this.segment.to;
    if (to === undefined || this.el.paused) return;
    const left = (to - this.el.currentTime) / (this.el.playbackRate || 1);
    if (left <= 0.005) {
      this.el.pause();
      this.el.currentTime = this.segment.from;
      return;
    }
    // Timers can fire early or the clock lag: look again until the slice has really played.
    this.endTimer = setTimeout(() => this.watchEnd(), Math.max(5, left * 1000));
  }

  private start() {
    const p = this.el.play();
    // A newer load interrupts an older play(); that is expected, not an error.
    if (p) p.catch((e: unknown) => {
      if (!(e instanceof DOMException && e.name === 'AbortError')) this.set({ playing: false });
    });
  }
}
