import type { components } from '../api/schema';

export type Day = components['schemas']['Day'];
export type Preferences = components['schemas']['Preferences'];
export type PreferencesPatch = components['schemas']['PreferencesPatch'];

export interface Bar {
  date: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * barLayout places one bar per day in a width×height box (y grows downwards, bars stand on the
 * bottom edge), scaled to the largest value; a day with nothing spent keeps a 1px stub so the
 * row of days stays readable. `max` is the value the top edge stands for.
 */
export function barLayout(days: Day[], width: number, height: number, gap = 2): { bars: Bar[]; max: number } {
  const n = days.length;
  const max = Math.max(0, ...days.map((d) => d.cost_usd));
  if (n === 0) return { bars: [], max };
  const slot = width / n;
  const w = Math.max(1, slot - gap);
  const bars = days.map((d, i) => {
    const h = max > 0 ? Math.max(d.cost_usd > 0 ? 1 : 0, (d.cost_usd / max) * height) : 0;
    const hh = Math.max(h, 1);
    return { date: d.date, value: d.cost_usd, x: i * slot + gap / 2, y: height - hh, width: w, height: hh };
  });
  return { bars, max };
}

export const formatUsd = (v: number) => (v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);

export const formatTokens = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

/** share is used/limit as 0–1 (1 when over, 0 without a limit). */
export const share = (used: number, limit: number) => (limit > 0 ? Math.min(1, Math.max(0, used / limit)) : 0);

/** prefsPatch lists only the preferences the form changed (PATCH /api/v1/preferences). */
export function prefsPatch(before: Preferences, after: Preferences): PreferencesPatch {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(after) as Array<keyof Preferences>) {
    if (after[k] !== before[k]) out[k] = after[k];
  }
  return out as PreferencesPatch;
}

/** prefsProblem checks the form the way the server will, or returns ''. */
export function prefsProblem(p: Preferences): string {
  if (!p.vibe_model.trim()) return 'Name a model for vibe analysis.';
  if (!Number.isFinite(p.budget_monthly_usd) || p.budget_monthly_usd < 0) return 'The monthly budget is a sum in dollars, 0 or more.';
  if (!Number.isInteger(p.budget_daily_tokens) || p.budget_daily_tokens < 0) return 'The daily token budget is a whole number, 0 or more.';
  return '';
}
