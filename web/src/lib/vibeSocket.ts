/** Live vibe analysis of one sample over WS /ws/vibe/{id}. */
import type { components } from '../api/schema';

export type Vibe = components['schemas']['Vibe'];

export interface VibeStep {
  step: string;
  progress: number;
}

export interface VibeLive {
  /** idle before the socket opens; running until "complete" or "error" (or the socket closes early). */
  phase: 'idle' | 'running' | 'complete' | 'error';
  steps: VibeStep[];
  progress: number;
  partial: Vibe | null;
  vibe: Vibe | null;
  fallback: string;
  error: string;
}

export const initialVibe: VibeLive = { phase: 'idle', steps: [], progress: 0, partial: null, vibe: null, fallback: '', error: '' };

/** vibeSocketUrl builds the socket's address from the page's: ws for http, wss for https. */
export function vibeSocketUrl(loc: Pick<Location, 'protocol' | 'host'>, id: number): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/vibe/${id}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** toVibe reads a vibe object defensively: missing lists become empty, missing numbers 0. */
export function toVibe(d: unknown): Vibe | null {
  if (!isObj(d)) return null;
  const sources: Record<string, string> = {};
  if (isObj(d.sources)) for (const [k, v] of Object.entries(d.sources)) if (typeof v === 'string') sources[k] = v;
  return {
    mood_primary: str(d.mood_primary),
    mood_secondary: str(d.mood_secondary),
    energy: num(d.energy),
    danceability: num(d.danceability),
    texture: strs(d.texture),
    era: str(d.era),
    genres: strs(d.genres),
    descriptors: strs(d.descriptors),
    best_use: strs(d.best_use),
    confidence: num(d.confidence),
    sources,
    ...(typeof d.model === 'string' ? { model: d.model } : {}),
  };
}

/**
 * reduceVibeMessage folds one socket message into the live state: "progress" adds (or updates) a
 * step, "partial" shows the vibe so far, "complete" the final one (with the reason the offline
 * vibe was kept, if any), "error" the server's message. Anything unreadable leaves the state as it
 * was; nothing changes once the run has finished.
 */
export function reduceVibeMessage(s: VibeLive, raw: string): VibeLive {
  if (s.phase === 'complete' || s.phase === 'error') return s;
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return s;
  }
  if (!isObj(m)) return s;
  const running = { ...s, phase: 'running' as const };
  switch (m.type) {
    case 'status':
      return running;
    case 'progress': {
      const step = str(m.step);
      if (!step) return s;
      const progress = Math.max(0, Math.min(100, num(m.progress)));
      const i = s.steps.findIndex((x) => x.step === step);
      const steps = i >= 0 ? s.steps.map((x, j) => (j === i ? { step, progress } : x)) : [...s.steps, { step, progress }];
      return { ...running, steps, progress: Math.max(s.progress, progress) };
    }
    case 'partial': {
      const v = toVibe(m.data);
      return v ? { ...running, partial: v } : s;
    }
    case 'complete': {
      const v = toVibe(m.data);
      if (!v) return { ...s, phase: 'error', error: 'The server sent a vibe it could not read.' };
      return { ...s, phase: 'complete', progress: 100, vibe: v, partial: null, fallback: str(m.fallback) };
    }
    case 'error':
      return { ...s, phase: 'error', error: str(m.message) || 'The vibe analysis failed.' };
    default:
      return s;
  }
}

/** closedEarly marks a run whose socket closed before "complete" or "error". */
export function closedEarly(s: VibeLive, reason: string): VibeLive {
  if (s.phase === 'complete' || s.phase === 'error') return s;
  return { ...s, phase: 'error', error: reason || 'The connection closed before the vibe was ready.' };
}

/** stepLabel turns a server step ("llm request") into words for the list. */
export function stepLabel(step: string): string {
  const known: Record<string, string> = {
    'features loaded': 'Audio features loaded',
    'offline vibe': 'Offline vibe from the analysis',
    'llm request': 'Refining with the language model',
    saved: 'Saved',
  };
  return known[step] ?? step.charAt(0).toUpperCase() + step.slice(1);
}
