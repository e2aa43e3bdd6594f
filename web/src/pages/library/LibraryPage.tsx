import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, LayoutGrid, List, SlidersHorizontal, UploadCloud } from 'lucide-react';
import type { Sample, SampleList } from '../../api/client';
import { fetchPage, keys, MAX_BULK, PAGE_SIZE, usePatchSample } from '../../api/samples';
import { useAudio, useAudition, usePlayerState } from '../../audio/AudioProvider';
import { SpeedStatus } from '../../audio/KitTempo';
import { useAuditionKeys, type AuditionAction } from '../../audio/audition';
import { activeFilterCount, nextSort, toListQuery, useFilters } from '../../lib/filters';
import { markRange, toggleMark } from '../../lib/marks';
import { useElementSize } from '../../lib/dom';
import { readStored, writeStored } from '../../lib/stored';
import { useToast } from '../../components/Toasts';
import { Spinner } from '../../components/Spinner';
import { BulkBar } from './BulkBar';
import { FilterBar } from './FilterBar';
import { GRID, ROW_HEIGHT, SampleRow } from './SampleRow';
import { CARD_HEIGHT, CARD_WIDTH, SampleCard } from './SampleCard';
import { TempoPicker, useLibraryTempo } from './TempoPicker';
import { DropZone } from '../../upload/DropZone';
import { UploadStrip } from '../../upload/UploadStrip';

/** pagesFor lists the 1-based pages that hold rows first…last. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first || first < 0) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize) + 1; p <= Math.floor(last / pageSize) + 1; p++) out.push(p);
  return out;
}

/**
 * useSettledRange follows the rows on screen, but only once the view rests (120 ms without a
 * change, or every 400 ms during a long slow scroll): rows that fly past load nothing, and the
 * rows of one view are marked together, so their waveforms come in one batched request.
 */
export function useSettledRange(first: number, last: number, quiet = 120, most = 400) {
  const [range, setRange] = useState({ first: 0, last: -1 });
  const since = useRef<number | null>(null);
  useEffect(() => {
    const now = Date.now();
    since.current ??= now;
    const wait = Math.max(0, Math.min(quiet, since.current + most - now));
    const t = setTimeout(() => {
      since.current = null;
      setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
    }, wait);
    return () => clearTimeout(t);
  }, [first, last, quiet, most]);
  return range;
}

const COLUMNS: Array<{ label: string; sort?: string; className: string }> = [
  { label: '', className: '' },
  { label: '', className: '' },
  { label: '', className: '' },
  { label: 'Name', sort: 'name', className: '' },
  { label: 'Wave', className: 'overflow-hidden' },
  { label: 'Type', className: 'hidden md:block' },
  { label: 'Category', className: 'hidden md:block' },
  { label: 'BPM', sort: 'bpm', className: 'justify-end' },
  { label: 'Key', sort: 'key', className: 'justify-end md:justify-start' },
  { label: 'Length', sort: 'duration', className: 'hidden md:flex justify-end' },
  { label: 'Loudness', sort: 'loudness', className: 'hidden lg:flex justify-end' },
  { label: 'Tags', className: 'hidden lg:block' },
];

type View = 'table' | 'cards';
const VIEW_KEY = 'sp404.libraryView';

/** useView is the table/cards choice, remembered in this browser (it is not a filter). */
function useView(): [View, (v: View) => void] {
  const [view, setView] = useState<View>(() => (readStored(VIEW_KEY) === 'cards' ? 'cards' : 'table'));
  const choose = useCallback((v: View) => {
    setView(v);
    writeStored(VIEW_KEY, v);
  }, []);
  return [view, choose];
}

const SORT_CHOICES: Array<[string, string]> = [
  ['-created', 'Newest'],
  ['name', 'Name'],
  ['bpm', 'BPM'],
  ['key', 'Key'],
  ['duration', 'Length'],
  ['-loudness', 'Loudest'],
];

export default function LibraryPage() {
  const [filters, setFilters] = useFilters();
  const query = useMemo(() => toListQuery(filters), [filters]);
  const queryKeyStr = JSON.stringify(query);
  const qc = useQueryClient();
  const { engine, autoplay, setAutoplay } = useAudio();
  const audition = useAudition();
  const tempo = useLibraryTempo();
  const player = usePlayerState();
  const patch = usePatchSample();
  const [showFilters, setShowFilters] = useState(false);

  const first = useQuery({
    queryKey: keys.list(query, 1),
    queryFn: ({ signal }) => fetchPage(query, 1, signal),
    placeholderData: keepPreviousData,
  });
  const total = first.data?.total ?? 0;

  // The card grid virtualises lines of `cols` cards; the table is the case cols = 1.
  const [view, setView] = useView();
  const scroller = useRef<HTMLDivElement>(null);
  const { w: width } = useElementSize(scroller);
  const cols = view === 'cards' ? Math.max(1, Math.floor(width / CARD_WIDTH)) : 1;
  const lineHeight = view === 'cards' ? CARD_HEIGHT + 8 : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: Math.ceil(total / cols),
    getScrollElement: () => scroller.current,
    estimateSize: () => lineHeight,
    overscan: view === 'cards' ? 3 : 8,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, lineHeight, cols]);
  const items = virtualizer.getVirtualItems();
  const firstIdx = (items[0]?.index ?? 0) * cols;
  const lastIdx = Math.min(total - 1, ((items[items.length - 1]?.index ?? 0) + 1) * cols - 1);
  const pages = useMemo(() => pagesFor(firstIdx, lastIdx).filter((p) => p !== 1), [firstIdx, lastIdx]);
  const settled = useSettledRange(firstIdx, lastIdx);
  const more = useQueries({
    queries: pages.map((page) => ({
      queryKey: keys.list(query, page),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchPage(query, page, signal),
    })),
  });

  const rowAt = useCallback(
    (i: number): Sample | undefined => {
      const page = Math.floor(i / PAGE_SIZE) + 1;
      const data = page === 1 ? first.data : qc.getQueryData<SampleList>(keys.list(query, page));
      return data?.items?.[i % PAGE_SIZE];
    },
    // more.* changes when a page lands
    [first.data, qc, queryKeyStr, more.map((m) => m.dataUpdatedAt).join()],
  );

  // Selection is by index (for the keys) and remembered by id (to follow a re-sorted list).
  const [selected, setSelected] = useState(-1);
  const pendingPlay = useRef(false);
  useEffect(() => {
    setSelected(-1);
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [queryKeyStr]);

  const play = useCallback(
    (i: number) => {
      const s = rowAt(i);
      if (!s) {
        pendingPlay.current = true;
        return;
      }
      pendingPlay.current = false;
      if (player.id === s.id && player.playing) engine.stop();
      else audition.play(s, { target: tempo.target });
    },
    [rowAt, engine, audition, tempo.target, player.id, player.playing],
  );

  const select = useCallback(
    (i: number, andPlay: boolean) => {
      setSelected(i);
      virtualizer.scrollToIndex(Math.floor(i / cols), { align: 'auto' });
      if (andPlay) {
        const s = rowAt(i);
        if (s) audition.play(s, { target: tempo.target });
        else pendingPlay.current = true;
      }
    },
    [virtualizer, cols, rowAt, audition, tempo.target],
  );

  // A selection that arrived before its page: play once the row is there.
  const selectedSample = selected >= 0 ? rowAt(selected) : undefined;
  useEffect(() => {
    if (pendingPlay.current && selectedSample) {
      pendingPlay.current = false;
      audition.play(selectedSample, { target: tempo.target });
    }
  }, [selectedSample, audition, tempo.target]);

  // Ticked rows, by id; the last row ticked anchors a shift-click range.
  const toast = useToast();
  const [marks, setMarks] = useState<ReadonlySet<number>>(() => new Set());
  const anchor = useRef(-1);
  const onMark = useCallback(
    (i: number, range: boolean) => {
      const s = rowAt(i);
      if (!s) return;
      let next = marks;
      let clipped = false;
      if (range && anchor.current >= 0) {
        ({ marks: next, clipped } = markRange(marks, anchor.current, i, (k) => rowAt(k)?.id, MAX_BULK));
      } else if (!marks.has(s.id) && marks.size >= MAX_BULK) {
        clipped = true;
      } else {
        next = toggleMark(marks, s.id);
      }
      if (clipped) toast(`At most ${MAX_BULK.toLocaleString()} samples can be selected at once.`, 'info');
      setMarks(next);
      anchor.current = i;
    },
    [rowAt, marks, toast],
  );
  const clearMarks = useCallback(() => {
    setMarks(new Set());
    anchor.current = -1;
  }, []);
  useEffect(() => {
    anchor.current = -1; // indexes mean other rows once the list changes
  }, [queryKeyStr]);

  const toggleFavorite = useCallback(
    (s: Sample) => patch.mutate({ id: s.id, patch: { favorite: !s.favorite } }),
    [patch],
  );

  const onAction = (a: AuditionAction) => {
    const s = selectedSample;
    switch (a.type) {
      case 'select':
        select(a.index, a.play);
        break;
      case 'replay':
        if (s) audition.play(s, { target: tempo.target });
        break;
      case 'stop':
        engine.stop();
        break;
      case 'toggle':
        if (!s) break;
        if (player.id === s.id) engine.toggle();
        else audition.play(s, { target: tempo.target });
        break;
      case 'favorite':
        if (s) toggleFavorite(s);
        break;
    }
  };
  useAuditionKeys({ index: selected, count: total, autoplay }, onAction);

  const onRowSelect = useCallback((i: number) => select(i, autoplay), [select, autoplay]);
  const onRowPlay = useCallback(
    (i: number) => {
      setSelected(i);
      play(i);
    },
    [play],
  );

  const nFilters = activeFilterCount(filters);
  const empty = first.isSuccess && total === 0;

  return (
    <DropZone className="flex h-full min-h-0 flex-col">
      <div className="space-y-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-lg font-semibold">Library</h1>
          <span className="text-sm text-zinc-500" data-testid="total">
            {first.isSuccess ? `${total.toLocaleString()} sample${total === 1 ? '' : 's'}` : ''}
          </span>
          {first.isFetching && <Spinner size={14} />}
          <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
            <div className="flex" role="group" aria-label="View">
              <button type="button" className="btn rounded-r-none" aria-pressed={view === 'table'} title="Table" onClick={() => setView('table')}>
                <List size={14} /> <span className="sr-only">Table</span>
              </button>
              <button type="button" className="btn -ml-px rounded-l-none" aria-pressed={view === 'cards'} title="Cards" onClick={() => setView('cards')}>
                <LayoutGrid size={14} /> <span className="sr-only">Cards</span>
              </button>
            </div>
            {view === 'cards' && (
              <select aria-label="Sort" value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value })}>
                {!SORT_CHOICES.some(([v]) => v === filters.sort) && <option value={filters.sort}>{filters.sort}</option>}
                {SORT_CHOICES.map(([v, label]) => (
                  <option key={v} value={v}>
                    {label}
                  </option>
                ))}
              </select>
            )}
            <TempoPicker bpm={tempo.bpm} setBpm={tempo.setBpm} />
            <label className="flex items-center gap-1.5 text-sm" title="Play a sample as soon as it is selected">
              <input type="checkbox" checked={autoplay} onChange={(e) => setAutoplay(e.target.checked)} />
              Auto-play
            </label>
            <button type="button" className="btn md:hidden" aria-expanded={showFilters} onClick={() => setShowFilters((v) => !v)}>
              <SlidersHorizontal size={14} /> Filters{nFilters ? ` (${nFilters})` : ''}
            </button>
          </div>
        </div>
        <SpeedStatus className="block" />
        <div className={showFilters ? '' : 'hidden md:block'}>
          <FilterBar filters={filters} setFilters={setFilters} />
        </div>
        <UploadStrip />
        {marks.size > 0 && <BulkBar marks={marks} onClear={clearMarks} />}
      </div>

      <div
        role={view === 'table' ? 'table' : 'list'}
        aria-label="Samples"
        aria-rowcount={view === 'table' ? total : undefined}
        className="flex min-h-0 flex-1 flex-col"
      >
        {view === 'table' && (
          <div role="row" className={`${GRID} border-b border-zinc-200 bg-zinc-50 px-2 py-1.5 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900`}>
            {COLUMNS.map((c, i) => {
              const dir = c.sort && filters.sort === c.sort ? 'asc' : c.sort && filters.sort === `-${c.sort}` ? 'desc' : null;
              return (
                <div key={i} role="columnheader" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined} className={`flex ${c.className}`}>
                  {c.sort ? (
                    <button type="button" className="inline-flex items-center gap-0.5 uppercase hover:text-zinc-900 dark:hover:text-zinc-100" onClick={() => setFilters({ sort: nextSort(filters.sort, c.sort!) })}>
                      {c.label}
                      {dir === 'asc' && <ArrowUp size={12} />}
                      {dir === 'desc' && <ArrowDown size={12} />}
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        )}
        <div ref={scroller} className="min-h-0 flex-1 overflow-auto" data-testid="library-scroller">
          {first.isPending && (
            <div className="flex items-center gap-2 p-6 text-sm text-zinc-500">
              <Spinner /> Loading the library…
            </div>
          )}
          {empty && nFilters === 0 && (
            <div className="mx-auto max-w-md p-10 text-center text-sm text-zinc-500">
              <UploadCloud className="mx-auto mb-3 text-zinc-400" size={36} />
              <p className="mb-2 text-base font-medium text-zinc-700 dark:text-zinc-300">Your library is empty</p>
              <p>
                Drop audio files or whole folders anywhere on this page, or use the <Link className="text-orange-600 underline" to="/upload">Upload</Link> page.
              </p>
            </div>
          )}
          {empty && nFilters > 0 && (
            <div className="p-10 text-center text-sm text-zinc-500">No samples match these filters.</div>
          )}
          {total > 0 && (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const item = (i: number) => {
                  const s = rowAt(i);
                  const props = {
                    sample: s,
                    index: i,
                    selected: i === selected,
                    marked: !!s && marks.has(s.id),
                    playing: !!s && player.id === s.id && player.playing,
                    onSelect: onRowSelect,
                    onMark,
                    onPlay: onRowPlay,
                    onFavorite: toggleFavorite,
                    tempo: tempo.target,
                    settled: i >= settled.first && i <= settled.last,
                  };
                  return view === 'table' ? <SampleRow key={i} {...props} /> : <SampleCard key={i} {...props} />;
                };
                const start = v.index * cols;
                return (
                  <div key={v.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` }}>
                    {view === 'table' ? (
                      item(start)
                    ) : (
                      <div className="grid gap-2 px-2 pt-2" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, height: v.size }}>
                        {Array.from({ length: Math.min(cols, total - start) }, (_, c) => item(start + c))}
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      <p className="hidden border-t border-zinc-200 px-3 py-1 text-xs text-zinc-500 md:block dark:border-zinc-800">
        ↑/↓ select and play · → replay · ← or Esc stop · Space play/pause · F favourite · tick rows (shift for a range) to tag, favourite, collect or build a kit
      </p>
    </DropZone>
  );
}
