/** Library counts for the dashboard: each is the `total` of a one-row GET /api/v1/samples. */
import { CATEGORIES } from './filters';

export type CountQuery = { category?: string[]; type?: string[]; analysis_state?: 'pending' | 'analyzing' | 'done' | 'failed' };

export interface Facet {
  group: 'all' | 'state' | 'type' | 'category';
  key: string;
  query: CountQuery;
}

export const STATES = ['done', 'pending', 'analyzing', 'failed'] as const;
export const TYPES = ['one-shot', 'loop'];

/** facets lists every count the dashboard shows, one request each. */
export function facets(): Facet[] {
  return [
    { group: 'all', key: 'all', query: {} },
    ...STATES.map((s): Facet => ({ group: 'state', key: s, query: { analysis_state: s } })),
    ...TYPES.map((t): Facet => ({ group: 'type', key: t, query: { type: [t] } })),
    ...CATEGORIES.map((c): Facet => ({ group: 'category', key: c, query: { category: [c] } })),
  ];
}

export interface Counts {
  total: number;
  states: Record<string, number>;
  types: Record<string, number>;
  categories: Array<{ key: string; count: number }>;
  /** Samples not counted under any category or type (not analysed yet, or unrecognised). */
  uncategorised: number;
  untyped: number;
}

/** collectCounts arranges the facet totals; categories largest first, empty ones left out. */
export function collectCounts(results: Array<{ facet: Facet; total: number }>): Counts {
  const c: Counts = { total: 0, states: {}, types: {}, categories: [], uncategorised: 0, untyped: 0 };
  for (const { facet, total } of results) {
    if (facet.group === 'all') c.total = total;
    else if (facet.group === 'state') c.states[facet.key] = total;
    else if (facet.group === 'type') c.types[facet.key] = total;
    else if (total > 0) c.categories.push({ key: facet.key, count: total });
  }
  c.categories.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  c.uncategorised = Math.max(0, c.total - sum(c.categories.map((x) => x.count)));
  c.untyped = Math.max(0, c.total - sum(Object.values(c.types)));
  return c;
}

export interface HBar {
  key: string;
  count: number;
  y: number;
  width: number;
}

/**
 * hbarLayout places one horizontal bar per row, `row` px apart, scaled so the largest count fills
 * `width`; a row with a count above 0 keeps at least 2px so it stays visible.
 */
export function hbarLayout(rows: Array<{ key: string; count: number }>, width: number, row = 22): { bars: HBar[]; height: number } {
  const max = Math.max(0, ...rows.map((r) => r.count));
  const bars = rows.map((r, i) => ({
    key: r.key,
    count: r.count,
    y: i * row,
    width: max > 0 && r.count > 0 ? Math.max(2, (r.count / max) * width) : 0,
  }));
  return { bars, height: rows.length * row };
}
