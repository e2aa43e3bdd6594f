import { audioUrl } from '../api/client';

export interface EngineState {
  /** id of the sample loaded in the player, or null. */
  id: number | null;
  playing: boolean;
}

/**
 * AudioEngine is the app's one player: a single HTMLAudioElement that every view drives. It
 * exposes a tiny store (subscribe/getState) for React and reads position on demand, so a moving
 * playhead costs no React renders.
 */
export class AudioEngine {
  readonly el: HTMLAudioElement;
  private state: EngineState = { id: null, playing: false };
  private listeners = new Set<() => void>();

  constructor(el: HTMLAudioElement) {
    this.el = el;
    el.preload = 'auto';
    el.addEventListener('playing', () => this.set({ playing: true }));
    el.addEventListener('pause', () => this.set({ playing: false }));
    el.addEventListener('ended', () => this.set({ playing: false }));
    el.addEventListener('emptied', () => this.set({ playing: false }));
  }

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = () => this.state;

  private set(p: Partial<EngineState>) {
    const next = { ...this.state, ...p };
    if (next.id === this.state.id && next.playing === this.state.playing) return;
    this.state = next;
    for (const fn of this.listeners) fn();
  }

  /** play starts sample id from the beginning (loading it when another one is loaded). */
  play(id: number, from = 0) {
    const url = audioUrl(id);
    if (this.state.id !== id || !this.el.src.endsWith(url)) {
      this.el.src = url;
      this.set({ id, playing: false });
    }
    this.el.currentTime = from;
    this.start();
  }

  /** replay restarts the loaded sample. */
  replay() {
    if (this.state.id === null) return;
    this.el.currentTime = 0;
    this.start();
  }

  /** stop pauses and rewinds. */
  stop() {
    this.el.pause();
    if (this.state.id !== null && Number.isFinite(this.el.duration)) this.el.currentTime = 0;
  }

  /** toggle pauses a playing sample or resumes the loaded one. */
  toggle() {
    if (this.state.id === null) return;
    if (this.el.paused) this.start();
    else this.el.pause();
  }

  /** seek jumps to a fraction (0–1) of the loaded sample and plays from there. */
  seek(id: number, fraction: number, durationHint: number) {
    const d = Number.isFinite(this.el.duration) && this.state.id === id ? this.el.duration : durationHint;
    this.play(id, Math.max(0, Math.min(1, fraction)) * d);
  }

  /** progress is the played fraction (0–1) of sample id, or -1 when it is not the loaded one. */
  progress(id: number, durationHint: number): number {
    if (this.state.id !== id) return -1;
    const d = Number.isFinite(this.el.duration) && this.el.duration > 0 ? this.el.duration : durationHint;
    if (!(d > 0)) return 0;
    return Math.max(0, Math.min(1, this.el.currentTime / d));
  }

  private start() {
    const p = this.el.play();
    // A newer load interrupts an older play(); that is expected, not an error.
    if (p) p.catch((e: unknown) => {
      if (!(e instanceof DOMException && e.name === 'AbortError')) this.set({ playing: false });
    });
  }
}
