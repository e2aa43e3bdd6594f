import { useState } from 'react';
import { Download, FileSearch, PackageOpen } from 'lucide-react';
import { ApiError } from '../../api/client';
import { exportDownloadUrl, startExport, useExport, type ExportPlan, type Kit } from '../../api/kits';
import type { Preferences } from '../../lib/usage';
import { Spinner } from '../../components/Spinner';
import { formatBytes } from '../../lib/format';
import { defaultExportForm, exportRequest, formProblem, TARGETS, type ExportForm, type Normalize } from '../../lib/exportForm';

function PlanView({ plan }: { plan: ExportPlan }) {
  const files = plan.files ?? [];
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="export-plan">
      <p>
        {files.length} file{files.length === 1 ? '' : 's'}, {formatBytes(plan.total_bytes)}, under <code>{plan.root}</code>
      </p>
      {!!plan.warnings?.length && (
        <ul className="list-disc pl-5 text-amber-700 dark:text-amber-400" aria-label="Warnings">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!!plan.skipped?.length && (
        <ul className="list-disc pl-5 text-zinc-500" aria-label="Skipped">
          {plan.skipped.map((w) => (
            <li key={w}>Skipped: {w}</li>
          ))}
        </ul>
      )}
      <div className="max-h-48 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-xs">
          <thead className="text-left text-zinc-500">
            <tr>
              <th className="px-2 py-1">Pad</th>
              <th className="px-2 py-1">File</th>
              <th className="px-2 py-1 text-right">Size</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path} className="border-t border-zinc-100 dark:border-zinc-900">
                <td className="px-2 py-0.5">{f.pad ?? ''}</td>
                <td className="px-2 py-0.5 font-mono">{f.path}</td>
                <td className="px-2 py-0.5 text-right tabular-nums">{formatBytes(f.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Progress({ exportId }: { exportId: number }) {
  const ex = useExport(exportId);
  const e = ex.data;
  if (!e) return <Spinner label="Starting the export" />;
  const pct = e.total > 0 ? Math.round((e.done / e.total) * 100) : 0;
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="export-progress" data-state={e.state}>
      <div className="flex items-center gap-2">
        <progress className="h-2 flex-1" max={Math.max(1, e.total)} value={e.done} aria-label="Export progress" />
        <span className="tabular-nums">
          {e.done}/{e.total}
        </span>
        <span>{e.state === 'done' ? 'Done' : e.state === 'failed' ? 'Failed' : `${pct}%`}</span>
      </div>
      {e.state === 'failed' && <p className="text-red-600">{e.error || 'The export failed.'}</p>}
      {!!e.warnings?.length && <p className="text-xs text-amber-700 dark:text-amber-400">{e.warnings.join(' · ')}</p>}
      {e.state === 'done' && (
        <a className="btn btn-primary self-start" href={exportDownloadUrl(e.id)} download>
          <Download size={14} /> Download ZIP ({formatBytes(e.total_bytes)})
        </a>
      )}
    </div>
  );
}

/** ExportPanel: pick a target and options, look at the plan (dry run), then export and download. */
export function ExportPanel({ kit, prefs }: { kit: Kit; prefs?: Preferences }) {
  const [form, setForm] = useState<ExportForm>(() => defaultExportForm(kit.name, prefs));
  const [plan, setPlan] = useState<ExportPlan | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [exportId, setExportId] = useState<number | null>(null);
  const problem = formProblem(form);
  const change = (p: Partial<ExportForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setPlan(null);
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError('');
    try {
      const r = await startExport(kit.id, exportRequest(form, dryRun));
      setPlan(r.plan);
      if (!dryRun && r.export) setExportId(r.export.id);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800" aria-label="Export">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Export</h2>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs text-zinc-500">Target</legend>
        {TARGETS.map((t) => (
          <label key={t.value} className="flex items-start gap-2 text-sm">
            <input type="radio" name="export-target" value={t.value} checked={form.target === t.value} onChange={() => change({ target: t.value })} className="mt-1" />
            <span>
              <span className="font-medium">{t.label}</span> <span className="text-zinc-500">— {t.explain}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs text-zinc-500">
          Project name
          <input value={form.projectName} onChange={(e) => change({ projectName: e.target.value })} maxLength={64} />
        </label>
        {form.target === 'mk2-project' && (
          <label className="flex flex-col text-xs text-zinc-500">
            Slot
            <input type="number" className="w-16" min={1} max={16} value={form.slot} onChange={(e) => change({ slot: Number(e.target.value) })} />
          </label>
        )}
        <label className="flex flex-col text-xs text-zinc-500">
          Normalise
          <select value={form.normalize} onChange={(e) => change({ normalize: e.target.value as Normalize })}>
            <option value="none">None</option>
            <option value="peak">Peak</option>
            <option value="lufs">Loudness (LUFS)</option>
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={form.trimSilence} onChange={(e) => change({ trimSilence: e.target.checked })} />
          Trim silence
        </label>
      </div>
      {problem && <p className="text-xs text-red-600">{problem}</p>}
      <div className="flex gap-2">
        <button type="button" className="btn" disabled={busy || !!problem} onClick={() => void run(true)}>
          <FileSearch size={14} /> Dry run
        </button>
        <button type="button" className="btn btn-primary" disabled={busy || !!problem} onClick={() => void run(false)}>
          <PackageOpen size={14} /> Export
        </button>
        {busy && <Spinner />}
      </div>
      {error && (
        <p className="text-sm text-red-600" role="alert">
          {error}
        </p>
      )}
      {plan && <PlanView plan={plan} />}
      {exportId !== null && <Progress key={exportId} exportId={exportId} />}
    </section>
  );
}
