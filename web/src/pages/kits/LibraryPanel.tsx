import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useDraggable } from '@dnd-kit/core';
import { GripVertical, Play, Scissors } from 'lucide-react';
import type { Sample } from '../../api/client';
import { fetchPage } from '../../api/samples';
import { useAudition } from '../../audio/AudioProvider';
import { speedSentence, speedShort } from '../../audio/tempo';
import { Spinner } from '../../components/Spinner';
import { categoryLabel, formatBpm, formatDuration } from '../../lib/format';
import { sampleDragId, type DragData } from '../../lib/pads';

function LibraryItem({ sample, target, onAssign, onChop }: { sample: Sample; target: string; onAssign: (s: Sample) => void; onChop: (s: Sample) => void }) {
  const data: DragData = { kind: 'sample', sampleId: sample.id, name: sample.file_name };
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: sampleDragId(sample.id), data });
  const audition = useAudition();
  const speed = audition.kitTempo ? audition.speedFor(sample.bpm) : null;
  return (
    <li
      ref={setNodeRef}
      className={`flex items-center gap-1.5 border-b border-zinc-100 px-1 py-1 text-sm dark:border-zinc-900 ${isDragging ? 'opacity-40' : ''}`}
      data-library-sample={sample.id}
    >
      <span
        {...listeners}
        {...attributes}
        aria-label={`Drag ${sample.file_name} to a pad`}
        aria-roledescription="draggable sample"
        className="flex min-w-0 flex-1 cursor-grab touch-none items-center gap-1 rounded"
        data-testid="library-drag"
      >
        <GripVertical size={14} className="shrink-0 text-zinc-400" />
        <span className="min-w-0 flex-1 truncate">{sample.file_name}</span>
        <span className="shrink-0 text-xs text-zinc-500">
          {categoryLabel(sample.category)} · {sample.bpm ? `${formatBpm(sample.bpm)} BPM` : formatDuration(sample.duration_s)}
          {speed && (
            <span className="text-orange-600 dark:text-orange-400" title={speedSentence(speed)} data-speed={speed.rate}>
              {' '}
              → {speedShort(speed)}
            </span>
          )}
        </span>
      </span>
      <button type="button" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label={`Play ${sample.file_name}`} onClick={() => audition.play(sample)}>
        <Play size={14} />
      </button>
      {sample.analysis_state === 'done' && sample.duration_s >= 0.2 && (
        <button type="button" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800" aria-label={`Chop ${sample.file_name}`} title="Chop across pads…" onClick={() => onChop(sample)}>
          <Scissors size={14} />
        </button>
      )}
      <button type="button" className="rounded px-1 text-xs text-orange-600 hover:bg-zinc-100 dark:hover:bg-zinc-800" onClick={() => onAssign(sample)} title={`Put on pad ${target}`}>
        → {target}
      </button>
    </li>
  );
}

/** LibraryPanel searches the library (the samples API) and offers each sample for dragging onto a pad. */
export function LibraryPanel({ target, onAssign, onChop }: { target: string; onAssign: (s: Sample) => void; onChop: (s: Sample) => void }) {
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['samples', 'list', { q, sort: 'name' }, 'kit-panel'],
    queryFn: ({ signal }) => fetchPage({ q: q.trim() || undefined, sort: 'name' }, 1, signal),
    placeholderData: (prev) => prev,
  });
  const items = list.data?.items ?? [];
  return (
    <aside className="flex max-h-72 min-h-0 flex-col rounded-xl border border-zinc-200 p-2 lg:sticky lg:top-0 lg:max-h-[calc(100vh-8rem)] dark:border-zinc-800" aria-label="Library">
      <input type="search" placeholder="Search the library…" aria-label="Search the library" value={q} onChange={(e) => setQ(e.target.value)} className="mb-2 w-full" />
      {list.isPending ? (
        <div className="flex items-center gap-2 p-2 text-sm text-zinc-500">
          <Spinner /> Loading…
        </div>
      ) : items.length === 0 ? (
        <p className="p-2 text-sm text-zinc-500">{q ? 'Nothing matches.' : 'The library is empty: upload samples first.'}</p>
      ) : (
        <ul className="min-h-0 flex-1 overflow-auto">
          {items.map((s) => (
            <LibraryItem key={s.id} sample={s} target={target} onAssign={onAssign} onChop={onChop} />
          ))}
        </ul>
      )}
      {list.data && list.data.total > items.length && (
        <p className="pt-1 text-xs text-zinc-500">
          Showing {items.length} of {list.data.total}; search to narrow.
        </p>
      )}
    </aside>
  );
}
