import { useState, type FormEvent } from 'react';
import { Save } from 'lucide-react';
import { usePatchPreferences, usePreferences } from '../api/usage';
import { Spinner } from '../components/Spinner';
import { TARGETS } from '../lib/exportForm';
import { prefsPatch, prefsProblem, type Preferences } from '../lib/usage';

function PrefsForm({ saved }: { saved: Preferences }) {
  const [p, setP] = useState(saved);
  const save = usePatchPreferences();
  const patch = prefsPatch(saved, p);
  const dirty = Object.keys(patch).length > 0;
  const problem = prefsProblem(p);
  const set = <K extends keyof Preferences>(k: K, v: Preferences[K]) => setP((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!dirty || problem) return;
    save.mutate(patch);
  };
  return (
    <form onSubmit={submit} aria-label="Preferences" className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-sm font-semibold uppercase tracking-wide text-zinc-500">Vibe analysis</legend>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Model (OpenRouter id)
          <input value={p.vibe_model} onChange={(e) => set('vibe_model', e.target.value)} className="font-mono" />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={p.auto_vibe} onChange={(e) => set('auto_vibe', e.target.checked)} />
          Analyse the vibe of every imported sample (each one costs a call)
        </label>
      </fieldset>
      <fieldset className="flex flex-wrap gap-4 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-sm font-semibold uppercase tracking-wide text-zinc-500">Budgets</legend>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Monthly budget (USD)
          <input type="number" min={0} step={0.01} className="w-32" value={Number.isFinite(p.budget_monthly_usd) ? p.budget_monthly_usd : ''} onChange={(e) => set('budget_monthly_usd', e.target.value === '' ? NaN : Number(e.target.value))} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Daily tokens
          <input type="number" min={0} step={1000} className="w-36" value={Number.isFinite(p.budget_daily_tokens) ? p.budget_daily_tokens : ''} onChange={(e) => set('budget_daily_tokens', e.target.value === '' ? NaN : Number(e.target.value))} />
        </label>
      </fieldset>
      <fieldset className="flex flex-wrap items-end gap-4 rounded-xl border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-sm font-semibold uppercase tracking-wide text-zinc-500">Export defaults</legend>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Target
          <select value={p.export_target} onChange={(e) => set('export_target', e.target.value as Preferences['export_target'])}>
            {TARGETS.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-500">
          Normalise
          <select value={p.export_normalize} onChange={(e) => set('export_normalize', e.target.value as Preferences['export_normalize'])}>
            <option value="none">None</option>
            <option value="peak">Peak</option>
            <option value="lufs">Loudness (LUFS)</option>
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={p.export_trim_silence} onChange={(e) => set('export_trim_silence', e.target.checked)} />
          Trim silence
        </label>
      </fieldset>
      {problem && <p className="text-sm text-red-600">{problem}</p>}
      <div className="flex items-center gap-2">
        <button type="submit" className="btn btn-primary" disabled={!dirty || !!problem || save.isPending}>
          <Save size={14} /> Save
        </button>
        <button type="button" className="btn" disabled={!dirty} onClick={() => setP(saved)}>
          Revert
        </button>
        {save.isSuccess && !dirty && (
          <span className="text-sm text-zinc-500" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

export default function SettingsPage() {
  const prefs = usePreferences();
  return (
    <div className="mx-auto flex h-full max-w-3xl flex-col gap-4 overflow-auto p-4">
      <h1 className="text-lg font-semibold">Settings</h1>
      {prefs.data ? <PrefsForm saved={prefs.data} /> : <Spinner label="Loading preferences" />}
    </div>
  );
}
