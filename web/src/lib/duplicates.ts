/** Duplicate groups (GET /api/v1/duplicates): which sample to keep, and the resolve request. */
import type { components } from '../api/schema';

export type DuplicateGroup = components['schemas']['DuplicateGroup'];
type S = components['schemas']['Sample'];

/** groupKey names a group by its kind and members, so a choice survives a refetch. */
export const groupKey = (g: DuplicateGroup) => `${g.kind}:${(g.samples ?? []).map((s) => s.id).sort((a, b) => a - b).join(',')}`;

/**
 * suggestKeep picks the sample a person most likely wants: a favourite, then the best rated, then
 * the most detailed file (bit depth, sample rate, size), then the one added first.
 */
export function suggestKeep(samples: S[]): number | null {
  if (!samples.length) return null;
  const ranked = [...samples].sort(
    (a, b) =>
      Number(b.favorite) - Number(a.favorite) ||
      b.rating - a.rating ||
      (b.bit_depth ?? 0) - (a.bit_depth ?? 0) ||
      (b.sample_rate ?? 0) - (a.sample_rate ?? 0) ||
      b.size_bytes - a.size_bytes ||
      a.created_at.localeCompare(b.created_at) ||
      a.id - b.id,
  );
  return ranked[0].id;
}

/** keepOf is the chosen sample when it is still in the group, else the suggestion. */
export function keepOf(choices: Record<string, number>, g: DuplicateGroup): number | null {
  const samples = g.samples ?? [];
  const chosen = choices[groupKey(g)];
  return chosen !== undefined && samples.some((s) => s.id === chosen) ? chosen : suggestKeep(samples);
}

/** resolveBody keeps one sample of the group and removes the others, confirmed. */
export function resolveBody(g: DuplicateGroup, keepId: number): components['schemas']['ResolveDuplicatesInputBody'] {
  const ids = (g.samples ?? []).map((s) => s.id);
  if (!ids.includes(keepId)) throw new Error(`sample ${keepId} is not in this group`);
  return { keep_id: keepId, remove_ids: ids.filter((id) => id !== keepId), confirm: true };
}

/** describeScore reads a group's score: exact groups are the same audio, near ones a similarity. */
export const describeScore = (g: Pick<DuplicateGroup, 'kind' | 'score'>) =>
  g.kind === 'exact' ? 'same audio' : `${Math.round(g.score * 1000) / 10}% alike`;
