import type { components } from '../api/schema';

export type Collection = components['schemas']['Collection'];
export type Rules = components['schemas']['Rules'];

/** RulesForm is the smart-collection editor's state: text fields as typed, lists as chosen. */
export interface RulesForm {
  text: string;
  categories: string[];
  types: string[];
  keys: string[];
  scale: '' | 'major' | 'minor';
  compatibleKeys: boolean;
  bpmMin: string;
  bpmMax: string;
  bpmHalfDouble: boolean;
  tagsAny: string;
  tagsAll: string;
  favorite: boolean;
  ratingMin: string;
}

export const emptyRules: RulesForm = {
  text: '', categories: [], types: [], keys: [], scale: '', compatibleKeys: false,
  bpmMin: '', bpmMax: '', bpmHalfDouble: false, tagsAny: '', tagsAll: '', favorite: false, ratingMin: '',
};

const splitTags = (s: string) => [...new Set(s.split(',').map((t) => t.trim()).filter(Boolean))];
const numOrUndef = (s: string) => {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

/** rulesFromForm is the Rules body for the form, leaving out everything not set. */
export function rulesFromForm(f: RulesForm): Rules {
  const r: Rules = {};
  if (f.text.trim()) r.text = f.text.trim();
  if (f.categories.length) r.categories = f.categories;
  if (f.types.length) r.types = f.types;
  if (f.keys.length) {
    r.keys = f.keys;
    if (f.compatibleKeys && f.scale) r.compatible_keys = true;
  }
  if (f.scale) r.scale = f.scale;
  const min = numOrUndef(f.bpmMin);
  const max = numOrUndef(f.bpmMax);
  if (min !== undefined) r.bpm_min = min;
  if (max !== undefined) r.bpm_max = max;
  if ((min !== undefined || max !== undefined) && f.bpmHalfDouble) r.bpm_half_double = true;
  const any = splitTags(f.tagsAny);
  const all = splitTags(f.tagsAll);
  if (any.length) r.tags_any = any;
  if (all.length) r.tags_all = all;
  if (f.favorite) r.favorite = true;
  const rating = numOrUndef(f.ratingMin);
  if (rating) r.rating_min = rating;
  return r;
}

/** formFromRules fills the editor from a saved collection's rules. */
export function formFromRules(r: Rules | undefined): RulesForm {
  if (!r) return emptyRules;
  return {
    text: r.text ?? '',
    categories: r.categories ?? [],
    types: r.types ?? [],
    keys: r.keys ?? [],
    scale: r.scale ?? '',
    compatibleKeys: !!r.compatible_keys,
    bpmMin: r.bpm_min !== undefined ? String(r.bpm_min) : '',
    bpmMax: r.bpm_max !== undefined ? String(r.bpm_max) : '',
    bpmHalfDouble: !!r.bpm_half_double,
    tagsAny: (r.tags_any ?? []).join(', '),
    tagsAll: (r.tags_all ?? []).join(', '),
    favorite: !!r.favorite,
    ratingMin: r.rating_min ? String(r.rating_min) : '',
  };
}

export interface TreeRow {
  c: Collection;
  depth: number;
}

/** tree orders collections parent-first, children by name under their parent, with depths. */
export function tree(items: Collection[]): TreeRow[] {
  const ids = new Set(items.map((c) => c.id));
  const kids = new Map<number | null, Collection[]>();
  for (const c of items) {
    const p = c.parent_id !== null && ids.has(c.parent_id) ? c.parent_id : null;
    kids.set(p, [...(kids.get(p) ?? []), c]);
  }
  const out: TreeRow[] = [];
  const seen = new Set<number>();
  const walk = (p: number | null, depth: number) => {
    for (const c of (kids.get(p) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({ c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** descendants is the ids under id (not id itself): collections it may not be moved into. */
export function descendants(items: Collection[], id: number): Set<number> {
  const out = new Set<number>();
  let frontier = [id];
  while (frontier.length) {
    const next = items.filter((c) => c.parent_id !== null && frontier.includes(c.parent_id) && !out.has(c.id) && c.id !== id);
    next.forEach((c) => out.add(c.id));
    frontier = next.map((c) => c.id);
  }
  return out;
}
