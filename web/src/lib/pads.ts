/**
 * Pad layout and drag-and-drop rules for the kit editor.
 *
 * Numbering follows the print on the hardware: pad 1 sits bottom-left and numbers run left to
 * right, then upwards. On the SP-404MKII (4×4) the top row reads 13 14 15 16 and the bottom row
 * 1 2 3 4. The SP-404SX / SP-404A (4×3) is drawn the same way, with 9 10 11 12 on top; change
 * `padRows` if a device prints it otherwise, nothing else depends on the order.
 */

export type Device = 'mk2' | 'sx';

export const BANKS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;
export type Bank = (typeof BANKS)[number];

export const COLUMNS = 4;

export const padsPerBank = (device: Device) => (device === 'sx' ? 12 : 16);

/** emptyPads lists a kit's free pads in bank and pad order (A1, A2, … J16). */
export function emptyPads(device: Device, filled: Iterable<{ bank: string; pad: number }>): Array<{ bank: Bank; pad: number }> {
  const taken = new Set([...filled].map((p) => `${p.bank}${p.pad}`));
  const out: Array<{ bank: Bank; pad: number }> = [];
  for (const bank of BANKS) {
    for (let pad = 1; pad <= padsPerBank(device); pad++) if (!taken.has(`${bank}${pad}`)) out.push({ bank, pad });
  }
  return out;
}

/** padRows lists the pad numbers row by row, top row first, as they appear on the device. */
export function padRows(device: Device): number[][] {
  const n = padsPerBank(device);
  const rows: number[][] = [];
  for (let start = n - COLUMNS + 1; start >= 1; start -= COLUMNS) {
    rows.push(Array.from({ length: COLUMNS }, (_, i) => start + i));
  }
  return rows;
}

/** padLabel is how the device and the exporter name a pad: "A1", "J16". */
export const padLabel = (bank: string, pad: number) => `${bank}${pad}`;

export type DragData =
  | { kind: 'sample'; sampleId: number; name: string }
  | { kind: 'pad'; bank: string; pad: number; sampleId: number; name: string };

export interface DropData {
  kind: 'pad-slot';
  bank: string;
  pad: number;
}

export const sampleDragId = (id: number) => `sample:${id}`;
export const padDragId = (bank: string, pad: number) => `pad:${bank}${pad}`;
export const padDropId = (bank: string, pad: number) => `slot:${bank}${pad}`;

export type DropAction =
  | { type: 'assign'; bank: string; pad: number; body: { sample_id: number } }
  | { type: 'move'; bank: string; pad: number; body: { to_bank: string; to_pad: number; swap: boolean } };

/**
 * dropAction turns a finished drag into the request it stands for: a library sample dropped on a
 * pad assigns it (PUT …/pads/{bank}/{pad}); a pad dropped on another pad moves it (POST
 * …/pads/{bank}/{pad}/move, swap only once the user agreed). Anything else does nothing.
 */
export function dropAction(drag: DragData | undefined, drop: DropData | undefined, swap = false): DropAction | null {
  if (!drag || !drop || drop.kind !== 'pad-slot') return null;
  if (drag.kind === 'sample') {
    return { type: 'assign', bank: drop.bank, pad: drop.pad, body: { sample_id: drag.sampleId } };
  }
  if (drag.kind === 'pad') {
    if (drag.bank === drop.bank && drag.pad === drop.pad) return null;
    return { type: 'move', bank: drag.bank, pad: drag.pad, body: { to_bank: drop.bank, to_pad: drop.pad, swap } };
  }
  return null;
}

/** bankValues returns a copy of a per-bank array (A–J) with one bank's value replaced. */
export function bankValues(values: number[] | null | undefined, fallback: number, bank: string, value: number): number[] {
  const out = BANKS.map((_, i) => values?.[i] ?? fallback);
  const i = BANKS.indexOf(bank as Bank);
  if (i >= 0) out[i] = value;
  return out;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}
export type Direction = 'up' | 'down' | 'left' | 'right';

const centre = (b: Box) => ({ x: b.left + b.width / 2, y: b.top + b.height / 2 });

/**
 * nearestInDirection picks, for keyboard dragging, the drop target an arrow key leads to: the
 * nearest box whose centre lies that way from `from`'s centre (off-axis distance counts double,
 * so the pad in the same row or column wins). Returns its key, or null at an edge.
 */
export function nearestInDirection<K>(from: Box, boxes: Iterable<[K, Box]>, dir: Direction): K | null {
  const c = centre(from);
  let best: K | null = null;
  let bestScore = Infinity;
  for (const [key, box] of boxes) {
    const b = centre(box);
    const dx = b.x - c.x;
    const dy = b.y - c.y;
    const along = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
    const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along < 1) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = key;
    }
  }
  return best;
}

/** The parts of a pad the audition needs (the API's Pad has more). */
export interface PadSound {
  bank: string;
  sample_id: number;
  sample_rate: number;
  bpm: number | null;
  settings: { start_frame: number; end_frame: number; sample_bpm: number; chops: number[] | null };
}

/**
 * padSlice is the part of the sample a pad plays, in seconds: its start/end trim (a chopped pad is
 * one slice of a loop). Null when the pad plays the whole sample or the rate is unknown.
 */
export function padSlice(p: PadSound): { from: number; to?: number } | null {
  const { start_frame: start, end_frame: end } = p.settings;
  if (!(p.sample_rate > 0) || (start <= 0 && end <= 0)) return null;
  return { from: start / p.sample_rate, to: end > start ? end / p.sample_rate : undefined };
}

/** bankTempo is the tempo a bank plays at: its own, or the kit's when it has none (0). */
export function bankTempo(kit: { bpm: number; bank_tempos?: number[] | null }, bank: string): number {
  const own = kit.bank_tempos?.[BANKS.indexOf(bank as Bank)] ?? 0;
  return own > 0 ? own : kit.bpm;
}

/**
 * padAudition is what clicking a pad plays: its sample, its slice, and the tempo kit tempo follows
 * (the bank's). The pad's own sample BPM setting wins over the analysed one, as on the device.
 */
export function padAudition(kit: { bpm: number; bank_tempos?: number[] | null }, p: PadSound) {
  const slice = padSlice(p);
  return {
    sample: { id: p.sample_id, bpm: p.settings.sample_bpm > 0 ? p.settings.sample_bpm : p.bpm },
    opts: { from: slice?.from, to: slice?.to, target: bankTempo(kit, p.bank) },
  };
}

/** sliceLabel describes a trimmed pad's slice in seconds ("0.50–1.00 s"), or '' for a whole sample. */
export function sliceLabel(p: PadSound, durationS: number): string {
  const s = padSlice(p);
  if (!s) return '';
  const to = s.to ?? durationS;
  return `${s.from.toFixed(2)}–${to.toFixed(2)} s`;
}
