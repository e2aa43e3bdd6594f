import { useEffect, useState } from 'react';
import { Search, Star, X } from 'lucide-react';
import { activeFilterCount, bpmRange, CATEGORIES, KEYS, TYPES, type Filters } from '../../lib/filters';
import { categoryLabel } from '../../lib/format';
import { useCollections } from '../../api/collections';

interface Props {
  filters: Filters;
  setFilters: (p: Partial<Filters>) => void;
}

/** useDebounced keeps a text field responsive while the URL (and the query) follow a moment later. */
function useDebouncedField(value: string, commit: (v: string) => void, ms = 250) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => commit(text), ms);
    return () => clearTimeout(t);
  }, [text]);
  return [text, setText] as const;
}

const numOrUndef = (s: string) => {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
};

export function FilterBar({ filters, setFilters }: Props) {
  const [q, setQ] = useDebouncedField(filters.q, (v) => setFilters({ q: v }));
  const [tags, setTags] = useDebouncedField(filters.tags.join(', '), (v) =>
    setFilters({ tags: v.split(',').map((t) => t.trim()).filter(Boolean) }),
  );
  const [bpmMin, setBpmMin] = useDebouncedField(filters.bpmMin ? String(filters.bpmMin) : '', (v) =>
    setFilters({ bpmMin: numOrUndef(v) }),
  );
  const [bpmMax, setBpmMax] = useDebouncedField(filters.bpmMax ? String(filters.bpmMax) : '', (v) =>
    setFilters({ bpmMax: numOrUndef(v) }),
  );
  const range = bpmRange(filters);
  const n = activeFilterCount(filters);
  const collections = useCollections();

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" role="search">
      <label className="relative flex min-w-40 flex-1 items-center sm:max-w-64">
        <Search size={14} className="pointer-events-none absolute left-2 text-zinc-400" />
        <input
          type="search"
          aria-label="Search names, tags and categories"
          placeholder="Search…"
          title="Words match names, tags and categories; -word excludes"
          className="w-full pl-7"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </label>
      <div className="flex items-center gap-1" title="Tempo range in BPM">
        <input aria-label="Lowest BPM" inputMode="decimal" placeholder="BPM min" className="w-20" value={bpmMin} onChange={(e) => setBpmMin(e.target.value)} />
        <span className="text-zinc-400">–</span>
        <input aria-label="Highest BPM" inputMode="decimal" placeholder="max" className="w-16" value={bpmMax} onChange={(e) => setBpmMax(e.target.value)} />
        <button
          type="button"
          className={`btn px-2 ${filters.halfDouble ? 'toggle-on' : ''}`}
          aria-pressed={filters.halfDouble}
          title={
            filters.halfDouble && (range.min || range.max)
              ? `Includes half and double time: ${range.min ?? 0}–${range.max ?? '∞'} BPM`
              : 'Also match half-time and double-time readings'
          }
          onClick={() => setFilters({ halfDouble: !filters.halfDouble })}
        >
          ½×/2×
        </button>
      </div>
      <select aria-label="Key" value={filters.key} onChange={(e) => setFilters({ key: e.target.value })}>
        <option value="">Any key</option>
        {KEYS.map((k) => (
          <option key={k} value={k}>{k}</option>
        ))}
      </select>
      <button
        type="button"
        className={`btn px-2 ${filters.compatible && filters.key ? 'toggle-on' : ''}`}
        aria-pressed={filters.compatible}
        disabled={!filters.key}
        title={filters.key ? 'Also match keys that mix well: the relative key and one step either way on the circle of fifths' : 'Choose a key first'}
        onClick={() => setFilters({ compatible: !filters.compatible })}
      >
        Compatible
      </button>
      <select aria-label="Scale" value={filters.scale} onChange={(e) => setFilters({ scale: e.target.value as Filters['scale'] })}>
        <option value="">Any scale</option>
        <option value="major">major</option>
        <option value="minor">minor</option>
      </select>
      <div className="flex gap-1" role="group" aria-label="Type">
        {TYPES.map((t) => {
          const on = filters.types.includes(t);
          return (
            <button
              key={t}
              type="button"
              aria-pressed={on}
              className={`btn ${on ? 'toggle-on' : ''}`}
              onClick={() => setFilters({ types: on ? filters.types.filter((x) => x !== t) : [...filters.types, t] })}
            >
              {t}
            </button>
          );
        })}
      </div>
      <select
        aria-label="Category"
        value={filters.categories.length === 1 ? filters.categories[0] : filters.categories.length ? '*' : ''}
        onChange={(e) => setFilters({ categories: e.target.value ? [e.target.value] : [] })}
      >
        <option value="">Any category</option>
        {filters.categories.length > 1 && <option value="*" disabled>{filters.categories.map(categoryLabel).join(', ')}</option>}
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>{categoryLabel(c)}</option>
        ))}
      </select>
      <select aria-label="Collection" className="max-w-44" value={filters.collection ?? ''} onChange={(e) => setFilters({ collection: e.target.value ? Number(e.target.value) : undefined })}>
        <option value="">Any collection</option>
        {filters.collection && !collections.data?.some((c) => c.id === filters.collection) && <option value={filters.collection}>collection {filters.collection}</option>}
        {(collections.data ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.kind === 'smart' ? ' (smart)' : ''}
          </option>
        ))}
      </select>
      <input aria-label="Tags (all must match)" placeholder="tags, comma-separated" className="w-40" value={tags} onChange={(e) => setTags(e.target.value)} />
      <button
        type="button"
        aria-pressed={filters.favorite}
        className={`btn ${filters.favorite ? 'toggle-on' : ''}`}
        onClick={() => setFilters({ favorite: !filters.favorite })}
      >
        <Star size={14} className={filters.favorite ? 'fill-current' : ''} /> Favourites
      </button>
      {n > 0 && (
        <button
          type="button"
          className="btn border-transparent"
          onClick={() =>
            setFilters({ q: '', bpmMin: undefined, bpmMax: undefined, halfDouble: false, key: '', compatible: false, scale: '', types: [], categories: [], tags: [], favorite: false, collection: undefined })
          }
        >
          <X size={14} /> Clear ({n})
        </button>
      )}
    </div>
  );
}
