/**
 * Marks are the library's multi-selection: sample ids ticked for a bulk action. They are kept
 * by id, so they survive scrolling, paging and filtering; the cursor row (what the arrow keys
 * move and play) is separate.
 */
export type Marks = ReadonlySet<number>;

/** toggleMark ticks or unticks one sample. */
export function toggleMark(marks: Marks, id: number): Set<number> {
  const next = new Set(marks);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/**
 * markRange ticks every loaded sample between two row indexes (inclusive, either order), as a
 * shift-click does; rows whose page is not loaded yet are skipped. At most `limit` marks are
 * kept, and `clipped` says when the range asked for more.
 */
export function markRange(
  marks: Marks,
  from: number,
  to: number,
  idAt: (index: number) => number | undefined,
  limit: number,
): { marks: Set<number>; clipped: boolean } {
  const next = new Set(marks);
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = lo; i <= hi; i++) {
    const id = idAt(i);
    if (id === undefined || next.has(id)) continue;
    if (next.size >= limit) return { marks: next, clipped: true };
    next.add(id);
  }
  return { marks: next, clipped: false };
}
