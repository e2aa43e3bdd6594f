import { useState } from 'react';
import { Play, Scissors } from 'lucide-react';
import { useChopPoints, useKitWrites, type Kit } from '../../api/kits';
import { useWaveform } from '../../api/samples';
import { useAudition } from '../../audio/AudioProvider';
import { speedShort } from '../../audio/tempo';
import { Dialog } from '../../components/Dialog';
import { Spinner } from '../../components/Spinner';
import { Waveform } from '../../components/Waveform';
import { chopBody, cutPercents, defaultForm, formProblem, MAX_SLICES, MIN_SLICES, padRange, replaced, slicesOf, targetPads, type ChopForm } from '../../lib/chop';
import { BANKS, bankTempo, padsPerBank } from '../../lib/pads';

/** The sample being chopped, from a library row or a pad. */
export interface ChopSubject {
  id: number;
  name: string;
  bpm: number | null;
  duration: number;
}

export interface ChopDone {
  bank: string;
  pad: number;
  pads: string[];
  table: boolean;
  slices: number;
}

/**
 * ChopDialog chops a loop into a kit: at its onsets or into equal parts, one slice per pad from a
 * start pad, or as one pad's chop table. The cut points come from the server and are drawn on the
 * waveform (each slice can be heard) before anything changes; pads that would be replaced are
 * named, and the server's refusals are shown in the dialog.
 */
export function ChopDialog({ kit, subject, bank, pad, onClose, onDone }: { kit: Kit; subject: ChopSubject; bank: string; pad: number; onClose: () => void; onDone: (r: ChopDone) => void }) {
  const perBank = padsPerBank(kit.device);
  const [form, setForm] = useState<ChopForm>(() => defaultForm(bank, pad, perBank));
  const set = (p: Partial<ChopForm>) => setForm((f) => ({ ...f, ...p }));
  const problem = formProblem(form, perBank);
  const preview = useChopPoints(subject.id, form.mode, form.slices, problem === '');
  const wave = useWaveform(subject.id, true);
  const { chop } = useKitWrites(kit.id);
  const audition = useAudition();

  const current = preview.data && !preview.isPlaceholderData ? preview.data : undefined;
  const points = preview.data?.points ?? [];
  const slices = preview.data ? slicesOf(points, preview.data.frames, preview.data.sample_rate) : [];
  const count = current ? slices.length : form.slices;
  const targets = targetPads(count, form, perBank);
  const overwrite = replaced(kit.pads ?? [], targets.pads);
  const sx = kit.device === 'sx';
  const speed = audition.speedFor(subject.bpm, bankTempo(kit, form.bank));
  const canApply = !problem && !!current && !targets.problem && !chop.isPending;

  const apply = () => {
    if (!canApply) return;
    chop.mutate(
      { sampleId: subject.id, body: chopBody(form, kit.id) },
      { onSuccess: () => onDone({ bank: form.bank, pad: form.startPad, pads: targets.pads, table: form.table, slices: slices.length }) },
    );
  };

  return (
    <Dialog title={<>Chop {subject.name}</>} onClose={onClose}>
      <form
        aria-label="Chop"
        className="flex flex-col gap-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Cut</legend>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="chop-mode" value="onsets" data-autofocus={form.mode === 'onsets' ? '' : undefined} checked={form.mode === 'onsets'} onChange={() => set({ mode: 'onsets' })} />
              At the onsets (the hits)
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="chop-mode" value="equal" data-autofocus={form.mode === 'equal' ? '' : undefined} checked={form.mode === 'equal'} onChange={() => set({ mode: 'equal' })} />
              Into equal parts
            </label>
          </fieldset>
          <label className="flex flex-col gap-1 text-xs text-zinc-500">
            Slices ({MIN_SLICES}–{MAX_SLICES})
            <input
              type="number"
              className="w-20"
              min={MIN_SLICES}
              max={MAX_SLICES}
              value={Number.isFinite(form.slices) ? form.slices : ''}
              onChange={(e) => set({ slices: e.target.value.trim() === '' ? NaN : Number(e.target.value) })}
            />
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Put them</legend>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="chop-target" checked={!form.table} onChange={() => set({ table: false })} />
              One slice per pad
            </label>
            <label className="flex items-center gap-1.5" title={sx ? 'The SP-404SX / A has no chop table' : undefined}>
              <input type="radio" name="chop-target" checked={form.table} disabled={sx} onChange={() => set({ table: true })} />
              As chop points on one pad{sx ? ' (MKII only)' : ''}
            </label>
          </fieldset>
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col gap-1 text-xs text-zinc-500">
              Bank
              <select value={form.bank} onChange={(e) => set({ bank: e.target.value })}>
                {BANKS.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-xs text-zinc-500">
              {form.table ? 'Pad' : 'From pad'}
              <select value={form.startPad} onChange={(e) => set({ startPad: Number(e.target.value) })}>
                {Array.from({ length: perBank }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>

        <div className="relative h-24 rounded-lg bg-zinc-50 dark:bg-zinc-950" data-testid="chop-preview">
          <Waveform sampleId={subject.id} peaks={wave.data?.fine} duration={subject.duration} className="h-full w-full" color="#a1a1aa" seekable label={`Waveform of ${subject.name} with the cuts`} />
          <div className={`pointer-events-none absolute inset-0 ${current ? '' : 'opacity-40'}`} aria-hidden>
            {preview.data &&
              cutPercents(points, preview.data.frames).map((pct) => (
                <div key={pct} data-testid="cut" className="absolute inset-y-0 w-0.5 -translate-x-1/2 bg-orange-500" style={{ left: `${pct}%` }} />
              ))}
          </div>
          {preview.isFetching && (
            <span className="absolute right-1 top-1">
              <Spinner size={14} />
            </span>
          )}
        </div>

        {problem ? (
          <p className="text-red-600" role="alert">
            {problem}
          </p>
        ) : preview.isError ? (
          <div className="flex flex-wrap items-center gap-2 text-red-600" role="alert">
            <span>{preview.error.message}</span>
            {form.mode === 'onsets' && (
              <button
                type="button"
                className="btn"
                onClick={(e) => {
                  set({ mode: 'equal' });
                  // This button goes with the message: keep the focus on the choice it made.
                  e.currentTarget.closest('form')?.querySelector<HTMLInputElement>('input[name=chop-mode][value=equal]')?.focus();
                }}
              >
                Cut into equal parts instead
              </button>
            )}
          </div>
        ) : slices.length > 0 ? (
          <div className="flex flex-col gap-1">
            <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Hear the slices">
              {slices.map((s) => (
                <button
                  key={s.index}
                  type="button"
                  className="btn px-2 tabular-nums"
                  aria-label={`Play slice ${s.index + 1} (${s.from.toFixed(2)}–${s.to.toFixed(2)} s)`}
                  title={`${s.from.toFixed(2)}–${s.to.toFixed(2)} s`}
                  onClick={() => audition.play({ id: subject.id, bpm: subject.bpm }, { from: s.from, to: s.to, target: bankTempo(kit, form.bank) })}
                >
                  <Play size={12} /> {s.index + 1}
                </button>
              ))}
              {audition.kitTempo && <span className="text-xs text-zinc-500">at kit tempo: {speedShort(speed)}</span>}
            </div>
            <p className="text-xs text-zinc-500" data-testid="chop-summary">
              {slices.length} slice{slices.length === 1 ? '' : 's'}
              {form.mode === 'onsets' && current && slices.length < form.slices ? ` (the loop has fewer clear hits than the ${form.slices} asked for)` : ''}
              {form.table ? `, written as chop points on pad ${targets.pads[0]}` : targets.pads.length ? ` on pads ${padRange(targets.pads)}` : ''}.
            </p>
          </div>
        ) : null}

        {targets.problem && !problem && (
          <p className="text-red-600" role="alert">
            {targets.problem}
          </p>
        )}
        {overwrite.length > 0 && !targets.problem && (
          <p className="rounded-md border border-amber-400 bg-amber-50 px-2 py-1 text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status">
            {overwrite.join(', ')} {overwrite.length === 1 ? 'holds a sample that' : 'hold samples that'} will be replaced.
          </p>
        )}
        {chop.isError && (
          <p className="text-red-600" role="alert">
            The chop was refused: {chop.error.message}
          </p>
        )}

        <div className="flex justify-end gap-2">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canApply}>
            {chop.isPending ? <Spinner size={14} /> : <Scissors size={14} />}
            {form.table
              ? `Write chop points to ${targets.pads[0] ?? ''}`
              : `Chop into ${padRange(targets.pads) || 'pads'}${overwrite.length ? `, replacing ${overwrite.length}` : ''}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
