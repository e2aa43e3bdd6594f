import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { AudioEngine, type EngineState } from './engine';
import { tempoSpeed, type Speed } from './tempo';
import { everyFrame } from '../lib/dom';
import { readStored, writeStored } from '../lib/stored';

interface AudioCtx {
  engine: AudioEngine;
  autoplay: boolean;
  setAutoplay: (v: boolean) => void;
  /** "play at kit tempo": where a tempo is in scope, auditions follow it vinyl-style */
  kitTempo: boolean;
  setKitTempo: (v: boolean) => void;
}

const Ctx = createContext<AudioCtx | null>(null);
const AUTOPLAY_KEY = 'sp404.autoplay';
const KIT_TEMPO_KEY = 'sp404.kitTempo';

function readFlag(key: string, fallback: boolean) {
  const v = readStored(key);
  return v === null ? fallback : v !== 'false';
}

const storeFlag = (key: string, v: boolean) => writeStored(key, String(v));

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
  const [autoplay, setAutoplayState] = useState(() => readFlag(AUTOPLAY_KEY, true));
  const setAutoplay = useCallback((v: boolean) => {
    setAutoplayState(v);
    storeFlag(AUTOPLAY_KEY, v);
  }, []);
  const [kitTempo, setKitTempoState] = useState(() => readFlag(KIT_TEMPO_KEY, false));
  const setKitTempo = useCallback(
    (v: boolean) => {
      setKitTempoState(v);
      storeFlag(KIT_TEMPO_KEY, v);
      // The sample in the player follows the switch at once, against the tempo it was played with.
      const sp = engine.getState().speed;
      if (sp) {
        const next = tempoSpeed(v, sp.targetBpm, sp.sampleBpm);
        engine.setRate(next.rate, next);
      }
    },
    [engine],
  );
  const value = useMemo(() => ({ engine, autoplay, setAutoplay, kitTempo, setKitTempo }), [engine, autoplay, setAutoplay, kitTempo, setKitTempo]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAudio() {
  const c = useContext(Ctx);
  if (!c) throw new Error('useAudio needs an AudioProvider');
  return c;
}

const ScopeCtx = createContext<{ bpm: number | null } | null>(null);

/**
 * TempoScope names the tempo auditions inside it follow when kit tempo is on: the kit's BPM on the
 * kit page, the chosen tempo on the library page. Outside any scope samples play at normal speed.
 */
export function TempoScope({ bpm, children }: { bpm: number | null; children: ReactNode }) {
  const value = useMemo(() => ({ bpm }), [bpm]);
  return <ScopeCtx.Provider value={value}>{children}</ScopeCtx.Provider>;
}

export interface AuditionOptions {
  /** start and end of a slice, in seconds */
  from?: number;
  to?: number;
  /** a tempo other than the scope's (a bank's own tempo) */
  target?: number | null;
}

/**
 * useAudition plays samples through the one engine at the speed kit tempo asks for in this scope.
 * `speedFor` gives that speed without playing, for showing it next to a sample.
 */
export function useAudition() {
  const { engine, kitTempo } = useAudio();
  const scope = useContext(ScopeCtx);
  const scopeBpm = scope?.bpm ?? null;
  const speedFor = useCallback(
    (sampleBpm: number | null | undefined, target?: number | null): Speed => tempoSpeed(kitTempo, target || scopeBpm, sampleBpm),
    [kitTempo, scopeBpm],
  );
  const play = useCallback(
    (s: { id: number; bpm?: number | null }, opts: AuditionOptions = {}) => {
      const speed = speedFor(s.bpm, opts.target);
      engine.play(s.id, { from: opts.from, to: opts.to, rate: speed.rate, speed });
    },
    [engine, speedFor],
  );
  return useMemo(() => ({ engine, play, speedFor, kitTempo }), [engine, play, speedFor, kitTempo]);
}

/** usePlayerState re-renders on load, play, pause and changes of speed only. */
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
    if (!playing) return place();
    return everyFrame(place);
  }, [engine, id, durationHint, playing, active]);
  return ref;
}
