import { describe, expect, it } from 'vitest';
import { bankTempo, bankValues, dropAction, emptyPads, nearestInDirection, padAudition, padRows, padSlice, padsPerBank, sliceLabel, type Box, type DragData, type DropData, type PadSound } from './pads';

describe('padRows', () => {
  it('lays the MKII out 13–16 on top down to 1–4 at the bottom', () => {
    expect(padRows('mk2')).toEqual([
      [13, 14, 15, 16],
      [9, 10, 11, 12],
      [5, 6, 7, 8],
      [1, 2, 3, 4],
    ]);
    expect(padsPerBank('mk2')).toBe(16);
  });

  it('lays the SX out as three rows of four, 9–12 on top', () => {
    expect(padRows('sx')).toEqual([
      [9, 10, 11, 12],
      [5, 6, 7, 8],
      [1, 2, 3, 4],
    ]);
    expect(padsPerBank('sx')).toBe(12);
  });

  it('puts pad 1 at the bottom-left of the grid as read row by row', () => {
    const flat = padRows('mk2').flat();
    expect(flat[flat.length - 4]).toBe(1);
    expect(flat[0]).toBe(13);
    expect(new Set(flat).size).toBe(16);
  });
});

describe('dropAction', () => {
  const slot = (bank: string, pad: number): DropData => ({ kind: 'pad-slot', bank, pad });
  const sample: DragData = { kind: 'sample', sampleId: 7, name: 'kick.wav' };
  const pad: DragData = { kind: 'pad', bank: 'A', pad: 1, sampleId: 7, name: 'kick.wav' };

  it('assigns a library sample dropped on a pad', () => {
    expect(dropAction(sample, slot('B', 13))).toEqual({ type: 'assign', bank: 'B', pad: 13, body: { sample_id: 7 } });
  });

  it('moves a pad dropped on another pad, swapping only when asked', () => {
    expect(dropAction(pad, slot('C', 4))).toEqual({ type: 'move', bank: 'A', pad: 1, body: { to_bank: 'C', to_pad: 4, swap: false } });
    expect(dropAction(pad, slot('A', 2), true)?.body).toEqual({ to_bank: 'A', to_pad: 2, swap: true });
  });

  it('does nothing for a pad dropped on itself or a drop outside any pad', () => {
    expect(dropAction(pad, slot('A', 1))).toBeNull();
    expect(dropAction(sample, undefined)).toBeNull();
    expect(dropAction(undefined, slot('A', 1))).toBeNull();
  });
});

describe('bankValues', () => {
  it('replaces one bank and fills missing banks with the fallback', () => {
    expect(bankValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, 'C', 99)).toEqual([1, 2, 99, 4, 5, 6, 7, 8, 9, 10]);
    expect(bankValues(null, 127, 'J', 64)).toEqual([127, 127, 127, 127, 127, 127, 127, 127, 127, 64]);
  });
});

describe('nearestInDirection', () => {
  // A 2×2 grid of 10px boxes with 10px gaps, and a library row far to the left.
  const box = (left: number, top: number): Box => ({ left, top, width: 10, height: 10 });
  const grid: Array<[string, Box]> = [
    ['A13', box(100, 0)],
    ['A14', box(120, 0)],
    ['A1', box(100, 20)],
    ['A2', box(120, 20)],
  ];

  it('steps to the neighbour in the arrow’s direction', () => {
    expect(nearestInDirection(box(100, 20), grid, 'right')).toBe('A2');
    expect(nearestInDirection(box(100, 20), grid, 'up')).toBe('A13');
    expect(nearestInDirection(box(120, 0), grid, 'down')).toBe('A2');
    expect(nearestInDirection(box(120, 0), grid, 'left')).toBe('A13');
  });

  it('stops at an edge', () => {
    expect(nearestInDirection(box(120, 20), grid, 'right')).toBeNull();
    expect(nearestInDirection(box(100, 0), grid, 'up')).toBeNull();
  });

  it('enters the grid from the side panel at the nearest pad in that row', () => {
    expect(nearestInDirection({ left: 0, top: 18, width: 60, height: 14 }, grid, 'right')).toBe('A1');
  });
});

describe('pad audition', () => {
  const kit = { bpm: 96, bank_tempos: [0, 84, 0, 0, 0, 0, 0, 0, 0, 0] };
  const pad = (p: Omit<Partial<PadSound>, 'settings'> & { settings?: Partial<PadSound['settings']> } = {}): PadSound => ({
    bank: 'A',
    sample_id: 5,
    sample_rate: 44100,
    bpm: 120,
    ...p,
    settings: { start_frame: 0, end_frame: 0, sample_bpm: 0, chops: null, ...p.settings },
  });

  it('plays a chopped pad from its start to its end, in seconds', () => {
    expect(padSlice(pad({ settings: { start_frame: 22050, end_frame: 44100 } }))).toEqual({ from: 0.5, to: 1 });
    expect(padSlice(pad({ settings: { start_frame: 22050 } }))).toEqual({ from: 0.5, to: undefined });
    expect(padSlice(pad())).toBeNull();
    expect(padSlice(pad({ sample_rate: 0, settings: { start_frame: 100 } }))).toBeNull();
    expect(sliceLabel(pad({ settings: { start_frame: 22050, end_frame: 44100 } }), 2)).toBe('0.50–1.00 s');
    expect(sliceLabel(pad({ settings: { start_frame: 44100 } }), 2)).toBe('1.00–2.00 s');
    expect(sliceLabel(pad(), 2)).toBe('');
  });

  it("follows the bank's own tempo, else the kit's", () => {
    expect(bankTempo(kit, 'A')).toBe(96);
    expect(bankTempo(kit, 'B')).toBe(84);
    expect(bankTempo({ bpm: 90 }, 'C')).toBe(90);
  });

  it("uses the pad's sample BPM setting over the analysed one", () => {
    expect(padAudition(kit, pad({ bank: 'B', settings: { start_frame: 22050, end_frame: 44100 } }))).toEqual({
      sample: { id: 5, bpm: 120 },
      opts: { from: 0.5, to: 1, target: 84 },
    });
    expect(padAudition(kit, pad({ bpm: null, settings: { sample_bpm: 92 } })).sample.bpm).toBe(92);
    expect(padAudition(kit, pad({ bpm: null })).sample.bpm).toBeNull();
  });
});

describe('emptyPads', () => {
  it('lists free pads in bank and pad order, twelve a bank on the SX', () => {
    const free = emptyPads('mk2', [{ bank: 'A', pad: 1 }, { bank: 'A', pad: 3 }]);
    expect(free.slice(0, 3)).toEqual([{ bank: 'A', pad: 2 }, { bank: 'A', pad: 4 }, { bank: 'A', pad: 5 }]);
    expect(free).toHaveLength(158);
    expect(emptyPads('sx', [])[12]).toEqual({ bank: 'B', pad: 1 });
  });
});
