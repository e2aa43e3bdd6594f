import { describe, expect, it } from 'vitest';
import { descendants, emptyRules, formFromRules, rulesFromForm, tree, type Collection } from './collections';

const col = (id: number, name: string, parent_id: number | null = null): Collection => ({
  id, name, parent_id, kind: 'manual', description: '', sample_count: 0, created_at: '', updated_at: '',
});

describe('rulesFromForm', () => {
  it('sends nothing for an empty form', () => {
    expect(rulesFromForm(emptyRules)).toEqual({});
  });

  it('sends each rule that is set, with tags split on commas', () => {
    expect(
      rulesFromForm({ ...emptyRules, text: ' dusty ', categories: ['kick'], bpmMin: '85', bpmMax: '', bpmHalfDouble: true, tagsAny: 'a, b,,a', favorite: true, ratingMin: '3' }),
    ).toEqual({ text: 'dusty', categories: ['kick'], bpm_min: 85, bpm_half_double: true, tags_any: ['a', 'b'], favorite: true, rating_min: 3 });
  });

  it('asks for compatible keys only with keys and a scale', () => {
    expect(rulesFromForm({ ...emptyRules, keys: ['A'], compatibleKeys: true })).toEqual({ keys: ['A'] });
    expect(rulesFromForm({ ...emptyRules, keys: ['A'], scale: 'minor', compatibleKeys: true })).toEqual({ keys: ['A'], scale: 'minor', compatible_keys: true });
  });

  it('round-trips through formFromRules', () => {
    const r = { text: 'x', categories: ['snare'], keys: ['C'], scale: 'major' as const, bpm_min: 90, bpm_max: 100, tags_all: ['t'] };
    expect(rulesFromForm(formFromRules(r))).toEqual(r);
  });
});

describe('tree and descendants', () => {
  const items = [col(1, 'Drums'), col(2, 'Kicks', 1), col(3, 'Ambient'), col(4, 'Deep', 2), col(5, 'Orphan', 99)];

  it('lists parents before their children, by name, with depth', () => {
    expect(tree(items).map((r) => [r.c.name, r.depth])).toEqual([
      ['Ambient', 0], ['Drums', 0], ['Kicks', 1], ['Deep', 2], ['Orphan', 0],
    ]);
  });

  it('finds every collection under one, to keep moves from making a loop', () => {
    expect([...descendants(items, 1)].sort()).toEqual([2, 4]);
    expect(descendants(items, 4).size).toBe(0);
  });
});
