import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { AudioEngine, type EngineState } from './engine';

interface AudioCtx {
  engine: AudioEngine;
  autoplay: boolean;
  setAutoplay: (v: boolean) => void;
}

const Ctx = createContext<AudioCtx | null>(null);
const AUTOPLAY_KEY = 'sp404.autoplay';

function readAutoplay() {
  try {
    return localStorage.getItem(AUTOPLAY_KEY) !== 'false';
  } catch {
    return true;
  }
}

/** AudioProvider owns the app's single audio element. */
export function AudioProvider({ children, engine: given }: { children: ReactNode; engine?: AudioEngine }) {
  const [engine] = useState(() => {
    if (given) return given;
    const el = document.createElement('audio');
    el.id = 'audio-engine';
    return new AudioEngine(el);
  });
  useEffect(() => {
    if (!engine.el.isConnected) document.body.appendChild(engine.el);
    return () => {
      engine.el.pause();
      engine.el.remove();
    };
  }, [engine]);
  const [autoplay, setAutoplayState] = useState(readAutoplay);
  const setAutoplay = useCallback((v: boolean) => {
    setAutoplayState(v);
    try {
      localStorage.setItem(AUTOPLAY_KEY, String(v));
    } catch {
      // storage may be unavailable (private mode); the toggle still works for this visit
    }
  }, []);
  return <Ctx.Provider value={{ engine, autoplay, setAutoplay }}>{children}</Ctx.Provider>;
}

export function useAudio() {
  const c = useContext(Ctx);
  if (!c) throw new Error('useAudio needs an AudioProvider');
  return c;
}

/** usePlayerState re-renders on load/play/pause only. */
export function usePlayerState(): EngineState {
  const { engine } = useAudio();
  return useSyncExternalStore(engine.subscribe, engine.getState);
}

/**
 * usePlayhead moves `ref`'s element across its parent while sample id plays, with
 * requestAnimationFrame writing the style directly (no React render per frame).
 */
export function usePlayhead(id: number, durationHint: number) {
  const { engine } = useAudio();
  const state = usePlayerState();
  const ref = useRef<HTMLDivElement>(null);
  const active = state.id === id;
  const playing = active && state.playing;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const place = () => {
      const p = engine.progress(id, durationHint);
      el.style.opacity = p < 0 ? '0' : '1';
      el.style.left = `${Math.max(0, p) * 100}%`;
    };
    place();
    if (!playing) return;
    let raf = 0;
    const tick = () => {
      place();
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [engine, id, durationHint, playing, active]);
  return ref;
}
