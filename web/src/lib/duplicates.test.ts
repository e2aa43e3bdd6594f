import { describe, expect, it } from 'vitest';
import type { Sample } from '../api/client';
import { describeScore, groupKey, keepOf, resolveBody, suggestKeep, type DuplicateGroup } from './duplicates';

const s = (id: number, over: Partial<Sample> = {}): Sample =>
  ({ id, file_name: `s${id}.wav`, favorite: false, rating: 0, bit_depth: 16, sample_rate: 44100, size_bytes: 1000, created_at: `2026-01-0${id}T00:00:00Z`, ...over }) as Sample;

const group = (samples: Sample[], kind: 'exact' | 'near' = 'exact'): DuplicateGroup => ({ kind, score: kind === 'exact' ? 1 : 0.973, samples });

describe('suggestKeep', () => {
  it('prefers a favourite, then rating, then the more detailed file, then the first added', () => {
    expect(suggestKeep([s(1), s(2, { favorite: true })])).toBe(2);
    expect(suggestKeep([s(1, { rating: 2 }), s(2, { rating: 4 })])).toBe(2);
    expect(suggestKeep([s(1), s(2, { bit_depth: 24 })])).toBe(2);
    expect(suggestKeep([s(1), s(2, { sample_rate: 48000 })])).toBe(2);
    expect(suggestKeep([s(1), s(2, { size_bytes: 2000 })])).toBe(2);
    expect(suggestKeep([s(2), s(1)])).toBe(1);
    expect(suggestKeep([])).toBeNull();
  });
});

describe('keepOf', () => {
  const g = group([s(1), s(2), s(3)]);
  it('uses the choice made for the group', () => {
    expect(keepOf({ [groupKey(g)]: 3 }, g)).toBe(3);
  });
  it('falls back to the suggestion when nothing (or a sample no longer there) was chosen', () => {
    expect(keepOf({}, g)).toBe(1);
    expect(keepOf({ [groupKey(g)]: 9 }, g)).toBe(1);
  });
  it('names groups by kind and members regardless of order', () => {
    expect(groupKey(group([s(3), s(1)]))).toBe('exact:1,3');
    expect(groupKey(group([s(1), s(3)], 'near'))).toBe('near:1,3');
  });
});

describe('resolveBody', () => {
  it('keeps one, removes the rest, and confirms', () => {
    expect(resolveBody(group([s(1), s(2), s(3)]), 2)).toEqual({ keep_id: 2, remove_ids: [1, 3], confirm: true });
  });
  it('refuses a sample from outside the group', () => {
    expect(() => resolveBody(group([s(1), s(2)]), 5)).toThrow(/not in this group/);
  });
});

describe('describeScore', () => {
  it('says exact groups are the same audio and gives near ones as a percentage', () => {
    expect(describeScore({ kind: 'exact', score: 1 })).toBe('same audio');
    expect(describeScore({ kind: 'near', score: 0.973 })).toBe('97.3% alike');
  });
});
