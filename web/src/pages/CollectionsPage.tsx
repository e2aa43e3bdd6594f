import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { FolderPlus, Play, Plus, Save, Trash2, X } from 'lucide-react';
import { useCollections, useCollectionSamples, useCollectionWrites, useRulesCount } from '../api/collections';
import { fetchPage } from '../api/samples';
import { useAudio } from '../audio/AudioProvider';
import { Spinner } from '../components/Spinner';
import { CATEGORIES, KEYS, TYPES } from '../lib/filters';
import { categoryLabel, formatBpm } from '../lib/format';
import { descendants, formFromRules, rulesFromForm, tree, type Collection, type RulesForm } from '../lib/collections';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function Chips({ label, options, value, onChange, show = (s: string) => s }: { label: string; options: string[]; value: string[]; onChange: (v: string[]) => void; show?: (s: string) => string }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-1">
      <legend className="mb-1 text-xs text-zinc-500">{label}</legend>
      {options.map((o) => {
        const on = value.includes(o);
        return (
          <button key={o} type="button" aria-pressed={on} className={`btn px-2 py-0.5 text-xs ${on ? 'toggle-on' : ''}`} onClick={() => onChange(on ? value.filter((x) => x !== o) : [...value, o])}>
            {show(o)}
          </button>
        );
      })}
    </fieldset>
  );
}

function RulesEditor({ col }: { col: Collection }) {
  const [f, setF] = useState<RulesForm>(() => formFromRules(col.rules));
  const rules = rulesFromForm(f);
  const debounced = useDebounced(rules, 250);
  const count = useRulesCount(debounced, true);
  const { update } = useCollectionWrites();
  const dirty = JSON.stringify(rules) !== JSON.stringify(rulesFromForm(formFromRules(col.rules)));
  const set = <K extends keyof RulesForm>(k: K, v: RulesForm[K]) => setF((o) => ({ ...o, [k]: v }));
  const text = (k: 'text' | 'bpmMin' | 'bpmMax' | 'tagsAny' | 'tagsAll' | 'ratingMin', label: string, cls = '', type = 'text') => (
    <label className="flex flex-col gap-1 text-xs text-zinc-500">
      {label}
      <input type={type} className={cls} value={f[k]} onChange={(e) => set(k, e.target.value)} />
    </label>
  );
  return (
    <form
      aria-label="Rules"
      className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ id: col.id, body: { rules } });
      }}
    >
      <div className="flex items-center gap-2">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Rules</h2>
        <span className="ml-auto text-sm" data-testid="rules-count" role="status">
          {count.data === undefined ? <Spinner /> : `${count.data} matching sample${count.data === 1 ? '' : 's'}`}
          {count.isFetching && count.data !== undefined && <span className="text-zinc-400"> …</span>}
        </span>
      </div>
      <div className="flex flex-wrap gap-3">
        {text('text', 'Words (-word excludes)', 'w-56')}
        {text('bpmMin', 'BPM from', 'w-20', 'number')}
        {text('bpmMax', 'BPM to', 'w-20', 'number')}
        <label className="flex items-center gap-1 self-end text-sm">
          <input type="checkbox" checked={f.bpmHalfDouble} onChange={(e) => set('bpmHalfDouble', e.target.checked)} /> ½× / 2×
        </label>
      </div>
      <Chips label="Categories" options={CATEGORIES} value={f.categories} onChange={(v) => set('categories', v)} show={categoryLabel} />
      <Chips label="Types" options={TYPES} value={f.types} onChange={(v) => set('types', v)} />
      <Chips label="Keys" options={KEYS} value={f.keys} onChange={(v) => set('keys', v)} />
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Scale
          <select value={f.scale} onChange={(e) => set('scale', e.target.value as RulesForm['scale'])}>
            <option value="">Any</option>
            <option value="major">Major</option>
            <option value="minor">Minor</option>
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={f.compatibleKeys} onChange={(e) => set('compatibleKeys', e.target.checked)} /> Compatible keys too
        </label>
        {text('tagsAny', 'Any of these tags', 'w-40')}
        {text('tagsAll', 'All of these tags', 'w-40')}
        {text('ratingMin', 'Rating at least', 'w-16', 'number')}
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={f.favorite} onChange={(e) => set('favorite', e.target.checked)} /> Favourites only
        </label>
      </div>
      <div>
        <button type="submit" className="btn btn-primary" disabled={!dirty || update.isPending}>
          <Save size={14} /> Save rules
        </button>
      </div>
    </form>
  );
}

function AddSamples({ col }: { col: Collection }) {
  const [q, setQ] = useState('');
  const dq = useDebounced(q.trim(), 250);
  const found = useQuery({
    queryKey: ['samples', 'list', { q: dq }, 'collection-add'],
    queryFn: ({ signal }) => fetchPage({ q: dq, sort: 'name' }, 1, signal),
    enabled: dq !== '',
  });
  const { addSamples } = useCollectionWrites();
  return (
    <div className="flex flex-col gap-1">
      <input type="search" aria-label="Find samples to add" placeholder="Find samples to add…" value={q} onChange={(e) => setQ(e.target.value)} />
      {dq && (
        <ul className="max-h-40 overflow-auto text-sm">
          {(found.data?.items ?? []).slice(0, 20).map((s) => (
            <li key={s.id} className="flex items-center gap-2 py-0.5">
              <span className="min-w-0 flex-1 truncate">{s.file_name}</span>
              <button type="button" className="btn px-2 py-0.5 text-xs" aria-label={`Add ${s.file_name}`} onClick={() => addSamples.mutate({ id: col.id, ids: [s.id] })}>
                <Plus size={12} /> Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Samples({ col }: { col: Collection }) {
  const list = useCollectionSamples(col.id);
  const { removeSamples } = useCollectionWrites();
  const { engine } = useAudio();
  const items = list.data?.items ?? [];
  return (
    <section aria-label="Samples in the collection" className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
        Samples <span className="tabular-nums" data-testid="collection-total">{list.data ? list.data.total : ''}</span>
      </h2>
      {col.kind === 'manual' && <AddSamples col={col} />}
      {list.isPending ? (
        <Spinner />
      ) : items.length === 0 ? (
        <p className="text-sm text-zinc-500">{col.kind === 'smart' ? 'Nothing matches these rules yet.' : 'Empty: find samples above to add them.'}</p>
      ) : (
        <ul className="text-sm">
          {items.map((s) => (
            <li key={s.id} className="flex items-center gap-2 border-t border-zinc-100 py-1 dark:border-zinc-900" data-sample-id={s.id}>
              <button type="button" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label={`Play ${s.file_name}`} onClick={() => engine.play(s.id)}>
                <Play size={14} />
              </button>
              <Link to={`/samples/${s.id}`} className="min-w-0 flex-1 truncate hover:underline">
                {s.file_name}
              </Link>
              <span className="text-xs text-zinc-500">
                {categoryLabel(s.category)} {s.bpm ? `· ${formatBpm(s.bpm)} BPM` : ''}
              </span>
              {col.kind === 'manual' && (
                <button type="button" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label={`Remove ${s.file_name}`} onClick={() => removeSamples.mutate({ id: col.id, ids: [s.id] })}>
                  <X size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.total > items.length && <p className="text-xs text-zinc-500">Showing the first {items.length} of {list.data.total}.</p>}
    </section>
  );
}

function ParentSelect({ all, value, onChange, exclude, label }: { all: Collection[]; value: number | null; onChange: (v: number | null) => void; exclude?: Set<number>; label: string }) {
  return (
    <label className="flex flex-col gap-1 text-xs text-zinc-500">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">Top level</option>
        {tree(all)
          .filter((r) => !exclude?.has(r.c.id))
          .map((r) => (
            <option key={r.c.id} value={r.c.id}>
              {'\u00a0\u00a0'.repeat(r.depth) + r.c.name}
            </option>
          ))}
      </select>
    </label>
  );
}

function Detail({ col, all }: { col: Collection; all: Collection[] }) {
  const { update, remove } = useCollectionWrites();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const blocked = descendants(all, col.id).add(col.id);
  return (
    <div className="flex min-w-0 flex-col gap-3" data-testid="collection-detail">
      <div className="flex flex-wrap items-end gap-3">
        <h1 className="text-lg font-semibold">{col.name}</h1>
        <span className="chip">{col.kind}</span>
        <ParentSelect label="Inside" all={all} value={col.parent_id} exclude={blocked} onChange={(v) => update.mutate({ id: col.id, body: { parent_id: v ?? 0 } })} />
        <span className="ml-auto">
          {asking ? (
            <span className="flex items-center gap-1 text-sm">
              Delete “{col.name}”? Its samples stay in the library.
              <button type="button" className="btn btn-danger" onClick={() => remove.mutate(col.id, { onSuccess: () => navigate('/collections') })}>
                Delete
              </button>
              <button type="button" className="btn" onClick={() => setAsking(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="btn" onClick={() => setAsking(true)}>
              <Trash2 size={14} /> Delete…
            </button>
          )}
        </span>
      </div>
      {col.kind === 'smart' && <RulesEditor key={col.id} col={col} />}
      <Samples col={col} />
    </div>
  );
}

function NewCollection({ all }: { all: Collection[] }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'manual' | 'smart'>('manual');
  const [parent, setParent] = useState<number | null>(null);
  const { create } = useCollectionWrites();
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), kind, ...(parent !== null ? { parent_id: parent } : {}), ...(kind === 'smart' ? { rules: {} } : {}) },
      {
        onSuccess: (c) => {
          setName('');
          navigate(`/collections/${c.id}`);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New collection" className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-2 dark:border-zinc-800">
      <label className="flex flex-col gap-1 text-xs text-zinc-500">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </label>
      <div className="flex gap-2">
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'manual' | 'smart')}>
            <option value="manual">Manual</option>
            <option value="smart">Smart (rules)</option>
          </select>
        </label>
        <ParentSelect label="Inside" all={all} value={parent} onChange={setParent} />
      </div>
      <button type="submit" className="btn btn-primary self-start" disabled={!name.trim() || create.isPending}>
        <FolderPlus size={14} /> Create
      </button>
    </form>
  );
}

function Shell({ side, children }: { side: ReactNode; children: ReactNode }) {
  return (
    <div className="grid h-full min-h-0 gap-4 overflow-auto p-4 md:grid-cols-[260px_1fr]">
      <aside className="flex flex-col gap-3" aria-label="Collections">
        {side}
      </aside>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

export default function CollectionsPage() {
  const id = Number(useParams().id) || null;
  const cols = useCollections();
  const all = cols.data ?? [];
  const selected = all.find((c) => c.id === id);
  return (
    <Shell
      side={
        <>
          <h1 className="text-lg font-semibold">Collections</h1>
          <NewCollection all={all} />
          {cols.isPending ? (
            <Spinner />
          ) : (
            <ul className="text-sm" aria-label="All collections">
              {tree(all).map(({ c, depth }) => (
                <li key={c.id}>
                  <Link
                    to={`/collections/${c.id}`}
                    className={`flex items-center gap-2 rounded px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-900 ${c.id === id ? 'bg-zinc-100 font-medium dark:bg-zinc-900' : ''}`}
                    style={{ paddingLeft: `${0.5 + depth}rem` }}
                  >
                    <span className="min-w-0 flex-1 truncate">{c.name}</span>
                    <span className="text-xs text-zinc-500">{c.kind === 'smart' ? 'smart' : c.sample_count}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </>
      }
    >
      {selected ? (
        <Detail key={selected.id} col={selected} all={all} />
      ) : id !== null && cols.isSuccess ? (
        <p className="text-sm">There is no collection with this id.</p>
      ) : (
        <p className="text-sm text-zinc-500">Pick a collection, or create one: manual ones hold the samples you add, smart ones every sample their rules match.</p>
      )}
    </Shell>
  );
}
