import { useState } from 'react';
import { Link } from 'react-router';
import { Check, RefreshCw } from 'lucide-react';
import { useDuplicates, useResolveDuplicates } from '../api/duplicates';
import { useAudio, usePlayerState } from '../audio/AudioProvider';
import { Spinner } from '../components/Spinner';
import { describeScore, groupKey, keepOf, resolveBody, type DuplicateGroup } from '../lib/duplicates';
import { formatBytes, formatDuration } from '../lib/format';
import { PlayButton } from '../components/PlayButton';

function Group({ g, keep, onKeep }: { g: DuplicateGroup; keep: number | null; onKeep: (id: number) => void }) {
  const samples = g.samples ?? [];
  const resolve = useResolveDuplicates();
  const { engine } = useAudio();
  const player = usePlayerState();
  const [confirming, setConfirming] = useState(false);
  const kept = samples.find((s) => s.id === keep);
  const others = samples.filter((s) => s.id !== keep);
  const name = `Duplicate group ${samples.map((s) => s.file_name).join(', ')}`;
  return (
    <section aria-label={name} className="rounded-xl border border-zinc-200 p-3 dark:border-zinc-800" data-testid="duplicate-group" data-kind={g.kind}>
      <div className="mb-2 flex items-center gap-2 text-sm">
        <span className={`chip ${g.kind === 'exact' ? 'bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-200' : ''}`}>{g.kind}</span>
        <span className="text-zinc-500">{describeScore(g)}</span>
        <span className="ml-auto text-xs text-zinc-500">{samples.length} samples</span>
      </div>
      <fieldset disabled={resolve.isPending}>
        <legend className="sr-only">Sample to keep</legend>
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-900">
          {samples.map((s) => (
            <li key={s.id} className="flex items-center gap-2 py-1.5 text-sm" data-sample-id={s.id}>
              <input type="radio" name={groupKey(g)} checked={keep === s.id} onChange={() => { setConfirming(false); onKeep(s.id); }} aria-label={`Keep ${s.file_name}`} />
              <PlayButton sample={s} />
              <Link to={`/samples/${s.id}`} className="min-w-0 flex-1 truncate hover:underline" title={s.file_name}>{s.file_name}</Link>
              <span className="hidden text-xs tabular-nums text-zinc-500 sm:inline">
                {s.format.toUpperCase()} · {formatDuration(s.duration_s)} · {s.sample_rate ? `${s.sample_rate / 1000} kHz` : '–'}
                {s.bit_depth ? ` · ${s.bit_depth}-bit` : ''} · {formatBytes(s.size_bytes)}
              </span>
              {keep === s.id && <span className="chip text-green-700 dark:text-green-400">keep</span>}
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
        {!confirming ? (
          <button type="button" className="btn" disabled={!kept || resolve.isPending} onClick={() => setConfirming(true)}>
            <Check size={14} /> Keep {kept?.file_name ?? '…'}, remove {others.length}…
          </button>
        ) : (
          <div role="alertdialog" aria-label="Confirm removal" className="flex flex-wrap items-center gap-2">
            <span>
              Remove {others.map((s) => `“${s.file_name}”`).join(', ')} from the library? Their pads and collections move to “{kept?.file_name}”.
            </span>
            <button
              type="button"
              className="btn btn-danger"
              disabled={resolve.isPending}
              onClick={() => {
                if (!kept) return;
                if (player.id !== null && others.some((s) => s.id === player.id)) engine.stop();
                resolve.mutate(resolveBody(g, kept.id), { onSettled: () => setConfirming(false) });
              }}
            >
              {resolve.isPending ? <Spinner size={14} /> : null} Remove
            </button>
            <button type="button" className="btn" disabled={resolve.isPending} onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        )}
      </div>
    </section>
  );
}

export default function DuplicatesPage() {
  const q = useDuplicates();
  const [choices, setChoices] = useState<Record<string, number>>({});
  const groups = q.data ?? [];
  return (
    <div className="h-full overflow-auto">
      <div className="mx-auto max-w-4xl space-y-4 p-4">
        <div className="flex items-center gap-2">
          <h1 className="flex-1 text-lg font-semibold">Duplicates</h1>
          <button type="button" className="btn" disabled={q.isFetching} onClick={() => void q.refetch()}>
            <RefreshCw size={14} className={q.isFetching ? 'animate-spin' : ''} /> Check again
          </button>
        </div>
        <p className="text-sm text-zinc-500">
          Exact duplicates are the same audio in any file format; near ones sound the same after a gain change, trim or re-encoding.
          Choose the sample to keep in each group: the others are removed, and their pads and collections move to it.
        </p>
        {q.isPending ? (
          <p className="flex items-center gap-2 text-sm text-zinc-500"><Spinner /> Comparing the library…</p>
        ) : q.isError ? (
          <p className="text-sm text-red-600">{q.error.message}</p>
        ) : groups.length === 0 ? (
          <p className="text-sm text-zinc-500" data-testid="no-duplicates">No duplicates in the library.</p>
        ) : (
          <>
            <p className="text-sm" data-testid="duplicate-count">{groups.length} group{groups.length === 1 ? '' : 's'}</p>
            {groups.map((g) => (
              <Group key={groupKey(g)} g={g} keep={keepOf(choices, g)} onKeep={(id) => setChoices((c) => ({ ...c, [groupKey(g)]: id }))} />
            ))}
          </>
        )}
      </div>
    </div>
  );
}
