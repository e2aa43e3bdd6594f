import type { components } from '../api/schema';
import { padLabel } from './pads';

/**
 * The chop dialog's rules. A chop cuts a loop at its onsets or into equal parts, then either lays
 * the slices on consecutive pads of one bank (each pad holds the same sample with start/end trims)
 * or writes the cut points into one pad's chop table (MKII). The server does the cutting
 * (`POST /api/v1/samples/{id}/chop`) and shows where it would cut first (`GET` on the same path).
 */

export type ChopInput = components['schemas']['ChopInput'];
export type ChopPreview = components['schemas']['ChopPreview'];
export type ChopMode = ChopInput['mode'];

export const MIN_SLICES = 2;
export const MAX_SLICES = 16;

export interface ChopForm {
  mode: ChopMode;
  slices: number;
  /** true: one pad's chop table; false: one pad per slice */
  table: boolean;
  bank: string;
  /** first pad of the slices, or the pad that takes the chop table */
  startPad: number;
}

/**
 * defaultForm starts a chop at the selected pad: eight slices at the onsets where they fit from
 * there, fewer near the end of the bank, and from an earlier pad when not even two fit.
 */
export function defaultForm(bank: string, pad: number, perBank: number): ChopForm {
  const startPad = Math.min(Math.max(1, pad), perBank - 1);
  return { mode: 'onsets', slices: Math.min(8, perBank - startPad + 1), table: false, bank, startPad };
}

/** formProblem is what is wrong with the form before anything is asked of the server, or ''. */
export function formProblem(f: ChopForm, perBank: number): string {
  if (!Number.isInteger(f.slices) || f.slices < MIN_SLICES || f.slices > MAX_SLICES) {
    return `Slices must be a whole number from ${MIN_SLICES} to ${MAX_SLICES}.`;
  }
  if (!Number.isInteger(f.startPad) || f.startPad < 1 || f.startPad > perBank) return `Pick a pad from 1 to ${perBank}.`;
  return '';
}

export interface Slice {
  /** 0-based */
  index: number;
  startFrame: number;
  endFrame: number;
  /** seconds */
  from: number;
  to: number;
}

/** slicesOf turns slice starts (frames) into slices that run to the next start, the last to the end. */
export function slicesOf(points: readonly number[], frames: number, sampleRate: number): Slice[] {
  const rate = sampleRate > 0 ? sampleRate : 1;
  return points.map((p, i) => {
    const end = i + 1 < points.length ? points[i + 1] : frames;
    return { index: i, startFrame: p, endFrame: end, from: p / rate, to: end / rate };
  });
}

/** cutPercents places the cuts (every slice start but the first, at 0) across a waveform, in percent. */
export function cutPercents(points: readonly number[], frames: number): number[] {
  if (!(frames > 0)) return [];
  return points.filter((p) => p > 0 && p < frames).map((p) => (p / frames) * 100);
}

/**
 * targetPads lists the pads a chop of `count` slices writes, with the reason it cannot when the
 * slices run past the bank (the server's own check, made before asking it).
 */
export function targetPads(count: number, f: Pick<ChopForm, 'table' | 'bank' | 'startPad'>, perBank: number): { pads: string[]; problem: string } {
  if (f.table) return { pads: [padLabel(f.bank, f.startPad)], problem: '' };
  const last = f.startPad + count - 1;
  if (last > perBank) {
    return {
      pads: [],
      problem: `${count} slices from pad ${f.startPad} do not fit a bank of ${perBank} pads: start at pad ${Math.max(1, perBank - count + 1)} or lower, or use fewer slices.`,
    };
  }
  return { pads: Array.from({ length: count }, (_, i) => padLabel(f.bank, f.startPad + i)), problem: '' };
}

/** replaced lists which of the target pads already hold something (the chop overwrites them). */
export function replaced(filled: Iterable<{ bank: string; pad: number }>, targets: readonly string[]): string[] {
  const want = new Set(targets);
  const out: string[] = [];
  for (const p of filled) {
    const l = padLabel(p.bank, p.pad);
    if (want.has(l)) out.push(l);
  }
  return out.sort((a, b) => targets.indexOf(a) - targets.indexOf(b));
}

/** padRange writes a run of pads as "C1–C4" (or "C1" for one). */
export function padRange(pads: readonly string[]): string {
  if (pads.length === 0) return '';
  return pads.length === 1 ? pads[0] : `${pads[0]}–${pads[pads.length - 1]}`;
}

/** chopBody is the request that applies the form to a kit. */
export function chopBody(f: ChopForm, kitId: number): ChopInput {
  return { mode: f.mode, slices: f.slices, kit_id: kitId, bank: f.bank, start_pad: f.startPad, ...(f.table ? { table: true } : {}) };
}
