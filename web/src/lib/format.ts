import type { Sample } from '../api/client';

export function formatDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s <= 0) return '–';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return `${m}:${String(r).padStart(2, '0')}`;
}

export const formatBpm = (b: number | null | undefined) =>
  b === null || b === undefined ? '–' : Number.isInteger(b) ? String(b) : b.toFixed(1);

export const formatKey = (s: Pick<Sample, 'key' | 'scale'>) =>
  s.key ? `${s.key}${s.scale === 'minor' ? 'm' : s.scale === 'major' ? '' : ''}` : '–';

export const formatDb = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(1)} ${unit}`;

export const formatPercent = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export const categoryLabel = (c: string | null | undefined) => (c ? c.replace('_', ' ') : '–');
