import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { paths } from '../api/schema';

export type ListQuery = NonNullable<paths['/api/v1/samples']['get']['parameters']['query']>;

/** Filters is the library's filter state; it lives in the page's query string. */
export interface Filters {
  q: string;
  bpmMin?: number;
  bpmMax?: number;
  /** halfDouble widens the BPM range to take in half- and double-time readings. */
  halfDouble: boolean;
  key: string;
  /** compatible widens the key to its neighbours: relative, and ±1 on the circle of fifths. */
  compatible: boolean;
  scale: '' | 'major' | 'minor';
  types: string[];
  categories: string[];
  tags: string[];
  favorite: boolean;
  /** a collection's samples only (a smart collection's rules are applied on the server) */
  collection?: number;
  sort: string;
}

export const KEYS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
export const TYPES = ['one-shot', 'loop'];
export const CATEGORIES = [
  'kick', 'snare', 'clap', 'hat_closed', 'hat_open', 'tom', 'cymbal', 'perc', 'bass', 'melodic',
  'vocal', 'fx', 'drums',
];
export const SORTABLE = ['name', 'created', 'bpm', 'key', 'duration', 'loudness'] as const;
export const DEFAULT_SORT = '-created';

export const emptyFilters: Filters = {
  q: '', halfDouble: false, key: '', compatible: false, scale: '', types: [], categories: [], tags: [],
  favorite: false, sort: DEFAULT_SORT,
};

const list = (v: string | null) =>
  (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

const num = (v: string | null) => {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** parseFilters reads filters from a query string, ignoring values the API would refuse. */
export function parseFilters(sp: URLSearchParams): Filters {
  const scale = sp.get('scale');
  const sort = sp.get('sort') ?? '';
  const sortOk = SORTABLE.includes(sort.replace(/^-/, '') as (typeof SORTABLE)[number]);
  return {
    q: sp.get('q') ?? '',
    bpmMin: num(sp.get('bpm_min')),
    bpmMax: num(sp.get('bpm_max')),
    halfDouble: sp.get('hd') === '1',
    key: KEYS.includes(sp.get('key') ?? '') ? (sp.get('key') as string) : '',
    compatible: sp.get('compat') === '1',
    scale: scale === 'major' || scale === 'minor' ? scale : '',
    types: list(sp.get('type')).filter((t) => TYPES.includes(t)),
    categories: list(sp.get('category')).filter((c) => CATEGORIES.includes(c)),
    tags: list(sp.get('tag')),
    favorite: sp.get('favorite') === 'true',
    collection: num(sp.get('collection')),
    sort: sortOk ? sort : DEFAULT_SORT,
  };
}

/** filtersToSearch writes filters as a query string, leaving out defaults so URLs stay short. */
export function filtersToSearch(f: Filters): URLSearchParams {
  const sp = new URLSearchParams();
  if (f.q.trim()) sp.set('q', f.q);
  if (f.bpmMin) sp.set('bpm_min', String(f.bpmMin));
  if (f.bpmMax) sp.set('bpm_max', String(f.bpmMax));
  if (f.halfDouble) sp.set('hd', '1');
  if (f.key) sp.set('key', f.key);
  if (f.compatible) sp.set('compat', '1');
  if (f.scale) sp.set('scale', f.scale);
  if (f.types.length) sp.set('type', f.types.join(','));
  if (f.categories.length) sp.set('category', f.categories.join(','));
  if (f.tags.length) sp.set('tag', f.tags.join(','));
  if (f.favorite) sp.set('favorite', 'true');
  if (f.collection) sp.set('collection', String(f.collection));
  if (f.sort !== DEFAULT_SORT) sp.set('sort', f.sort);
  return sp;
}

/**
 * bpmRange is the tempo range sent to the API. With halfDouble, [min, max] becomes
 * [min/2, max*2]: one range that holds the half-time and double-time readings too.
 */
export function bpmRange(f: Pick<Filters, 'bpmMin' | 'bpmMax' | 'halfDouble'>) {
  let lo = f.bpmMin;
  let hi = f.bpmMax;
  if (lo && hi && lo > hi) [lo, hi] = [hi, lo];
  if (f.halfDouble) {
    if (lo) lo = Math.round((lo / 2) * 100) / 100;
    if (hi) hi = Math.min(1000, hi * 2);
  }
  return { min: lo, max: hi };
}

/** toListQuery turns filters into the list endpoint's query (without page and limit). */
export function toListQuery(f: Filters): ListQuery {
  const q: ListQuery = { sort: f.sort };
  if (f.q.trim()) q.q = f.q.trim();
  const { min, max } = bpmRange(f);
  if (min) q.bpm_min = min;
  if (max) q.bpm_max = max;
  if (f.key) q.key = f.key;
  if (f.key && f.compatible) q.compatible_keys = true;
  if (f.scale) q.scale = f.scale;
  if (f.types.length) q.type = f.types;
  if (f.categories.length) q.category = f.categories;
  if (f.tags.length) q.tag = f.tags;
  if (f.favorite) q.favorite = 'true';
  if (f.collection) q.collection_id = f.collection;
  return q;
}

/** nextSort is the sort after clicking a column: a new column ascends, the same one flips. */
export function nextSort(current: string, column: string): string {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return column;
}

export const activeFilterCount = (f: Filters) =>
  [f.q.trim(), f.bpmMin, f.bpmMax, f.key, f.scale, f.types.length, f.categories.length,
    f.tags.length, f.favorite, f.collection].filter(Boolean).length;

/** useFilters binds the filters to the URL; every change replaces the current history entry. */
export function useFilters() {
  const [sp, setSp] = useSearchParams();
  const search = sp.toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const setFilters = useCallback(
    (patch: Partial<Filters> | ((f: Filters) => Partial<Filters>)) => {
      setSp(
        (prev) => {
          const cur = parseFilters(prev);
          const p = typeof patch === 'function' ? patch(cur) : patch;
          return filtersToSearch({ ...cur, ...p });
        },
        { replace: true },
      );
    },
    [setSp],
  );
  return [filters, setFilters] as const;
}
