import { describe, expect, it } from 'vitest';
import { collectCounts, facets, hbarLayout } from './dashboard';
import { CATEGORIES } from './filters';

describe('facets', () => {
  it('asks for the total, each analysis state, each type and each category', () => {
    const f = facets();
    expect(f[0]).toEqual({ group: 'all', key: 'all', query: {} });
    expect(f.filter((x) => x.group === 'state').map((x) => x.query)).toEqual([
      { analysis_state: 'done' }, { analysis_state: 'pending' }, { analysis_state: 'analyzing' }, { analysis_state: 'failed' },
    ]);
    expect(f.filter((x) => x.group === 'type').map((x) => x.query)).toEqual([{ type: ['one-shot'] }, { type: ['loop'] }]);
    expect(f.filter((x) => x.group === 'category')).toHaveLength(CATEGORIES.length);
  });
});

describe('collectCounts', () => {
  it('sorts categories largest first, drops empty ones and counts the rest', () => {
    const f = facets();
    const totals: Record<string, number> = { all: 10, done: 8, pending: 2, 'one-shot': 5, loop: 3, kick: 2, drums: 4, snare: 2, bass: 0 };
    const c = collectCounts(f.map((facet) => ({ facet, total: totals[facet.key] ?? 0 })));
    expect(c.total).toBe(10);
    expect(c.states).toEqual({ done: 8, pending: 2, analyzing: 0, failed: 0 });
    expect(c.types).toEqual({ 'one-shot': 5, loop: 3 });
    expect(c.categories).toEqual([{ key: 'drums', count: 4 }, { key: 'kick', count: 2 }, { key: 'snare', count: 2 }]);
    expect(c.uncategorised).toBe(2);
    expect(c.untyped).toBe(2);
  });

  it('never reports a negative remainder', () => {
    const f = facets();
    const c = collectCounts(f.map((facet) => ({ facet, total: facet.group === 'all' ? 1 : 3 })));
    expect(c.uncategorised).toBe(0);
    expect(c.untyped).toBe(0);
  });
});

describe('hbarLayout', () => {
  it('scales to the largest count and keeps small bars visible', () => {
    const { bars, height } = hbarLayout([{ key: 'a', count: 100 }, { key: 'b', count: 50 }, { key: 'c', count: 0 }, { key: 'd', count: 0.1 }], 200, 20);
    expect(height).toBe(80);
    expect(bars.map((b) => [b.y, b.width])).toEqual([[0, 200], [20, 100], [40, 0], [60, 2]]);
  });
  it('lays out nothing for no rows', () => {
    expect(hbarLayout([], 100)).toEqual({ bars: [], height: 0 });
  });
});
