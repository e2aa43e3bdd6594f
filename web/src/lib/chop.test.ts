import { chopBody, cutPercents, defaultForm, formProblem, padRange, replaced, slicesOf, targetPads } from './chop';

describe('chop rules', () => {
  it('starts at the selected pad with as many of eight slices as fit', () => {
    expect(defaultForm('C', 1, 16)).toEqual({ mode: 'onsets', slices: 8, table: false, bank: 'C', startPad: 1 });
    expect(defaultForm('A', 13, 16)).toMatchObject({ slices: 4, startPad: 13 });
    // On the last pad not even two slices fit: start one earlier.
    expect(defaultForm('A', 16, 16)).toMatchObject({ slices: 2, startPad: 15 });
    expect(defaultForm('B', 12, 12)).toMatchObject({ slices: 2, startPad: 11 });
  });

  it('checks the slice count and the pad before asking the server', () => {
    const f = defaultForm('A', 1, 16);
    expect(formProblem(f, 16)).toBe('');
    expect(formProblem({ ...f, slices: 1 }, 16)).toBe('Slices must be a whole number from 2 to 16.');
    expect(formProblem({ ...f, slices: 17 }, 16)).toMatch(/from 2 to 16/);
    expect(formProblem({ ...f, slices: 2.5 }, 16)).toMatch(/whole number/);
    expect(formProblem({ ...f, slices: Number.NaN }, 16)).toMatch(/whole number/);
    expect(formProblem({ ...f, startPad: 13 }, 12)).toBe('Pick a pad from 1 to 12.');
  });

  it('turns slice starts into slices in frames and seconds', () => {
    expect(slicesOf([0, 22050, 44100], 88200, 44100)).toEqual([
      { index: 0, startFrame: 0, endFrame: 22050, from: 0, to: 0.5 },
      { index: 1, startFrame: 22050, endFrame: 44100, from: 0.5, to: 1 },
      { index: 2, startFrame: 44100, endFrame: 88200, from: 1, to: 2 },
    ]);
    expect(cutPercents([0, 22050, 44100, 66150], 88200)).toEqual([25, 50, 75]);
    expect(cutPercents([0, 100], 0)).toEqual([]);
  });

  it('lists the pads the slices fill, and refuses a run past the end of the bank', () => {
    expect(targetPads(4, { table: false, bank: 'C', startPad: 1 }, 16)).toEqual({ pads: ['C1', 'C2', 'C3', 'C4'], problem: '' });
    expect(targetPads(4, { table: false, bank: 'C', startPad: 13 }, 16).pads).toEqual(['C13', 'C14', 'C15', 'C16']);
    const over = targetPads(8, { table: false, bank: 'E', startPad: 12 }, 16);
    expect(over.pads).toEqual([]);
    expect(over.problem).toBe('8 slices from pad 12 do not fit a bank of 16 pads: start at pad 9 or lower, or use fewer slices.');
    expect(targetPads(8, { table: false, bank: 'A', startPad: 6 }, 12).problem).toMatch(/bank of 12 pads: start at pad 5/);
    // A chop table goes on one pad, whatever the count.
    expect(targetPads(16, { table: true, bank: 'D', startPad: 16 }, 16)).toEqual({ pads: ['D16'], problem: '' });
  });

  it('names the filled pads a chop would replace, in pad order', () => {
    const filled = [
      { bank: 'C', pad: 3 },
      { bank: 'A', pad: 2 },
      { bank: 'C', pad: 2 },
      { bank: 'C', pad: 9 },
    ];
    expect(replaced(filled, ['C1', 'C2', 'C3', 'C4'])).toEqual(['C2', 'C3']);
    expect(replaced(filled, ['B1'])).toEqual([]);
  });

  it('writes pad runs and the request body', () => {
    expect(padRange(['C1', 'C2', 'C3'])).toBe('C1–C3');
    expect(padRange(['D5'])).toBe('D5');
    expect(padRange([])).toBe('');
    expect(chopBody({ mode: 'equal', slices: 4, table: false, bank: 'C', startPad: 1 }, 7)).toEqual({ mode: 'equal', slices: 4, kit_id: 7, bank: 'C', start_pad: 1 });
    expect(chopBody({ mode: 'onsets', slices: 8, table: true, bank: 'D', startPad: 5 }, 7)).toEqual({ mode: 'onsets', slices: 8, kit_id: 7, bank: 'D', start_pad: 5, table: true });
  });
});
