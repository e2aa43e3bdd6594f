import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { FolderInput, RotateCcw, Square } from 'lucide-react';
import { useBatch, useBatches, useBatchWrites, useLiveBatch, isFinished, type Batch } from '../api/batches';
import { Spinner } from '../components/Spinner';
import { FINISHED, formatEta, parseTags } from '../lib/batchSocket';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '–');

function StartImport({ onStarted }: { onStarted: (b: Batch) => void }) {
  const [path, setPath] = useState('');
  const [tags, setTags] = useState('');
  const [fromFolders, setFromFolders] = useState(true);
  const { create } = useBatchWrites();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    create.mutate({ path: path.trim(), tags: parseTags(tags), tags_from_folders: fromFolders }, { onSuccess: onStarted });
  };
  return (
    <form onSubmit={submit} aria-label="Import a folder" className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <p className="text-sm text-zinc-500">Import every audio file in a folder on the server (it must lie inside one of the server’s import roots).</p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-xs text-zinc-500">
          Server folder
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/data/import/crate-digging" required />
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="vinyl, 2024" />
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={fromFolders} onChange={(e) => setFromFolders(e.target.checked)} />
          Tag with folder names
        </label>
        <button type="submit" className="btn btn-primary" disabled={!path.trim() || create.isPending}>
          <FolderInput size={16} /> Start import
        </button>
      </div>
      {create.isError && (
        <p className="text-sm text-red-600" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col">
      <span className="text-xs text-zinc-500">{label}</span>
      <span className="tabular-nums">{children}</span>
    </div>
  );
}

function BatchDetail({ id }: { id: number }) {
  const batch = useBatch(id);
  const [run, setRun] = useState(0);
  const live = useLiveBatch(id, run);
  const { cancel, retry } = useBatchWrites();
  const b = batch.data;
  if (batch.isPending) return <Spinner label="Loading the import" />;
  if (!b) return <p className="text-sm">There is no import with this id.</p>;
  // The socket's numbers are newer while it runs; after the end the stored batch is complete.
  const p = live.progress && !(live.complete && isFinished(b)) ? live.progress : { total: b.total, done: b.done, failed: b.failed, current: '', eta_seconds: b.eta_seconds, rate: b.rate, state: b.state };
  const finished = FINISHED.includes(p.state);
  return (
    <section aria-label="Import progress" data-testid="batch" data-state={p.state} data-complete={live.complete ? 'true' : 'false'} className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="min-w-0 flex-1 truncate font-mono text-sm">{b.path}</h2>
        <span className="chip" data-testid="batch-state">{p.state}</span>
        {!finished && (
          <button type="button" className="btn" disabled={cancel.isPending} onClick={() => cancel.mutate(id)}>
            <Square size={14} /> Cancel
          </button>
        )}
        {finished && b.failed > 0 && (
          <button type="button" className="btn" disabled={retry.isPending} onClick={() => retry.mutate(id, { onSuccess: () => setRun((r) => r + 1) })}>
            <RotateCcw size={14} /> Retry {b.failed} failed
          </button>
        )}
      </div>
      <div className="flex items-center gap-2">
        <progress className="h-2 flex-1" max={Math.max(1, p.total)} value={p.done} aria-label="Files imported" />
        <span className="text-sm tabular-nums" data-testid="batch-count">
          {p.done}/{p.total}
        </span>
      </div>
      <div className="flex flex-wrap gap-6 text-sm">
        <Stat label="Rate">{p.rate > 0 ? `${p.rate.toFixed(1)} files/s` : '–'}</Stat>
        <Stat label="Time left">{finished ? '–' : formatEta(p.eta_seconds)}</Stat>
        <Stat label="Added">{b.added}</Stat>
        <Stat label="Duplicates">{b.duplicates}</Stat>
        <Stat label="Skipped">{b.skipped}</Stat>
        <Stat label="Failed">{p.failed}</Stat>
      </div>
      {!finished && p.current && (
        <p className="truncate text-xs text-zinc-500" data-testid="batch-current">
          Now: <span className="font-mono">{p.current}</span>
        </p>
      )}
      {b.error && <p className="text-sm text-red-600">{b.error}</p>}
      {!!b.failures?.length && (
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Not imported</h3>
          <ul className="max-h-48 overflow-auto text-sm" aria-label="Failures">
            {b.failures.map((f) => (
              <li key={f.path} className="border-b border-zinc-100 py-0.5 dark:border-zinc-900">
                <span className="font-mono">{f.path}</span> <span className="chip">{f.state}</span>{' '}
                <span className={f.state === 'failed' ? 'text-red-600' : 'text-zinc-500'}>{f.reason || f.state}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export default function ImportsPage() {
  const [params, setParams] = useSearchParams();
  const selected = Number(params.get('batch')) || null;
  const list = useBatches();
  const items = list.data?.items ?? [];
  const open = (id: number) => setParams({ batch: String(id) });
  return (
    <div className="mx-auto flex h-full max-w-5xl flex-col gap-4 overflow-auto p-4">
      <h1 className="text-lg font-semibold">Imports</h1>
      <StartImport onStarted={(b) => open(b.id)} />
      {selected !== null && <BatchDetail key={selected} id={selected} />}
      <section aria-label="Past imports">
        <h2 className="mb-1 text-sm font-semibold uppercase tracking-wide text-zinc-500">Past imports</h2>
        {list.isPending ? (
          <Spinner />
        ) : items.length === 0 ? (
          <p className="text-sm text-zinc-500">No imports yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-zinc-500">
              <tr>
                <th className="py-1">Folder</th>
                <th>State</th>
                <th className="text-right">Added</th>
                <th className="text-right">Failed</th>
                <th className="text-right">Started</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id} className={`border-t border-zinc-100 dark:border-zinc-900 ${b.id === selected ? 'bg-zinc-50 dark:bg-zinc-900' : ''}`} data-batch-id={b.id}>
                  <td className="py-1">
                    <button type="button" className="font-mono hover:underline" onClick={() => open(b.id)}>
                      {b.path}
                    </button>
                  </td>
                  <td>{b.state}</td>
                  <td className="text-right tabular-nums">{b.added}</td>
                  <td className="text-right tabular-nums">{b.failed}</td>
                  <td className="text-right text-xs text-zinc-500">{when(b.started_at ?? b.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
