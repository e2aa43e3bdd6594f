import { describe, expect, it } from 'vitest';
import { barLayout, formatUsd, prefsPatch, prefsProblem, share, type Day, type Preferences } from './usage';

const day = (date: string, cost_usd: number): Day => ({ date, cost_usd, calls: 0, input_tokens: 0, output_tokens: 0, ok: 0, errors: 0, refused: 0, bad_output: 0 });

describe('barLayout', () => {
  it('scales bars to the dearest day and stands them on the bottom edge', () => {
    const { bars, max } = barLayout([day('d1', 0.5), day('d2', 1), day('d3', 0)], 300, 100, 0);
    expect(max).toBe(1);
    expect(bars.map((b) => [b.x, b.width])).toEqual([[0, 100], [100, 100], [200, 100]]);
    expect(bars[0]).toMatchObject({ height: 50, y: 50 });
    expect(bars[1]).toMatchObject({ height: 100, y: 0 });
    // A day without spending keeps a 1px stub.
    expect(bars[2]).toMatchObject({ height: 1, y: 99, value: 0 });
  });

  it('draws stubs only when nothing was spent, and nothing for no days', () => {
    const { bars, max } = barLayout([day('a', 0), day('b', 0)], 100, 50);
    expect(max).toBe(0);
    expect(bars.every((b) => b.height === 1)).toBe(true);
    expect(barLayout([], 100, 50).bars).toEqual([]);
  });
});

describe('formatting and shares', () => {
  it('formats dollars, with more places for fractions of a cent', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0.0012)).toBe('$0.0012');
  });

  it('clamps the used share of a budget', () => {
    expect(share(5, 10)).toBe(0.5);
    expect(share(15, 10)).toBe(1);
    expect(share(5, 0)).toBe(0);
  });
});

describe('preferences', () => {
  const prefs: Preferences = {
    vibe_model: 'm', auto_vibe: false, budget_monthly_usd: 10, budget_daily_tokens: 100000,
    export_target: 'mk2', export_normalize: 'none', export_trim_silence: false,
  };

  it('patches only what changed', () => {
    expect(prefsPatch(prefs, { ...prefs })).toEqual({});
    expect(prefsPatch(prefs, { ...prefs, budget_monthly_usd: 12.5, export_target: 'sx' })).toEqual({ budget_monthly_usd: 12.5, export_target: 'sx' });
  });

  it('refuses an empty model and negative or fractional budgets', () => {
    expect(prefsProblem(prefs)).toBe('');
    expect(prefsProblem({ ...prefs, vibe_model: ' ' })).toMatch(/model/);
    expect(prefsProblem({ ...prefs, budget_monthly_usd: -1 })).toMatch(/monthly/);
    expect(prefsProblem({ ...prefs, budget_daily_tokens: 1.5 })).toMatch(/token/);
  });
});
