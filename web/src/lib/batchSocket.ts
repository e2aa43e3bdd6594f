/** Live progress of a folder import over WS /ws/batches/{id}. */

export interface BatchProgress {
  total: number;
  done: number;
  failed: number;
  current: string;
  eta_seconds: number | null;
  rate: number;
  state: string;
}

export interface LiveBatch {
  progress: BatchProgress | null;
  complete: boolean;
}

export const initialLive: LiveBatch = { progress: null, complete: false };

export const FINISHED = ['done', 'cancelled', 'failed'];

/** batchSocketUrl builds the socket's address from the page's: ws for http, wss for https. */
export function batchSocketUrl(loc: Pick<Location, 'protocol' | 'host'>, id: number): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/batches/${id}`;
}

const num = (v: unknown, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/**
 * reduceBatchMessage folds one socket message into the live state. Progress replaces the numbers
 * (a message without `current` keeps the last file shown while still running); "complete" marks
 * the end. Anything unreadable leaves the state as it was.
 */
export function reduceBatchMessage(s: LiveBatch, raw: string): LiveBatch {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return s;
  }
  if (!m || typeof m !== 'object') return s;
  const { type, data } = m as { type?: unknown; data?: unknown };
  if (type === 'complete') return { ...s, complete: true };
  if (type !== 'progress' || !data || typeof data !== 'object') return s;
  const d = data as Record<string, unknown>;
  const state = typeof d.state === 'string' ? d.state : (s.progress?.state ?? 'running');
  const current = typeof d.current === 'string' && d.current !== '' ? d.current : FINISHED.includes(state) ? '' : (s.progress?.current ?? '');
  return {
    ...s,
    progress: {
      total: num(d.total),
      done: num(d.done),
      failed: num(d.failed),
      current,
      eta_seconds: typeof d.eta_seconds === 'number' && Number.isFinite(d.eta_seconds) ? d.eta_seconds : null,
      rate: num(d.rate),
      state,
    },
  };
}

/** formatEta reads seconds left as "42 s", "3 min 5 s" or "1 h 2 min". */
export function formatEta(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '–';
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
  return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}

/** parseTags splits "a, b,,c " into ["a", "b", "c"] without repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}
