import { clampSpeed, formatSpeed, speedSentence, speedShort, tempoSpeed } from './tempo';

describe('tempoSpeed', () => {
  it.each([
    // kit BPM, sample BPM, rate
    [96, 120, 0.8],
    [90, 90, 1],
    [93, 120, 0.775],
    [120, 100, 1.2],
    [140, 100, 1.4],
  ])('plays a %s BPM kit over a %s BPM sample at %s', (kit, sample, rate) => {
    const s = tempoSpeed(true, kit, sample);
    expect(s.rate).toBeCloseTo(rate, 4);
    expect(s.reason).toBe('tempo');
    expect(s.wanted).toBe(s.rate);
  });

  it('holds the speed at the device limits of 50 % and 150 %, keeping what was asked', () => {
    const fast = tempoSpeed(true, 96, 60);
    expect(fast).toEqual({ rate: 1.5, wanted: 1.6, sampleBpm: 60, targetBpm: 96, reason: 'clamped' });
    const slow = tempoSpeed(true, 60, 170);
    expect(slow.rate).toBe(0.5);
    expect(slow.wanted).toBeCloseTo(0.3529, 4);
    expect(slow.reason).toBe('clamped');
    // Exactly at a limit is not clamped.
    expect(tempoSpeed(true, 90, 180).reason).toBe('tempo');
    expect(tempoSpeed(true, 90, 60).reason).toBe('tempo');
  });

  it('plays at normal speed when off, without a tempo, or for a sample without a BPM', () => {
    expect(tempoSpeed(false, 96, 120)).toMatchObject({ rate: 1, reason: 'off', sampleBpm: 120, targetBpm: 96 });
    expect(tempoSpeed(true, null, 120)).toMatchObject({ rate: 1, reason: 'no-target' });
    expect(tempoSpeed(true, 0, 120)).toMatchObject({ rate: 1, reason: 'no-target' });
    expect(tempoSpeed(true, 96, null)).toMatchObject({ rate: 1, reason: 'no-bpm', sampleBpm: null });
    expect(tempoSpeed(true, 96, 0)).toMatchObject({ rate: 1, reason: 'no-bpm' });
    expect(tempoSpeed(true, 96, Number.NaN)).toMatchObject({ rate: 1, reason: 'no-bpm' });
  });

  it('clampSpeed keeps any rate inside the device range', () => {
    expect(clampSpeed(3)).toBe(1.5);
    expect(clampSpeed(0.1)).toBe(0.5);
    expect(clampSpeed(1.1)).toBe(1.1);
  });
});

describe('speed wording', () => {
  it('writes speeds as the device shows them', () => {
    expect(formatSpeed(0.8)).toBe('80 %');
    expect(formatSpeed(0.775)).toBe('77.5 %');
    expect(formatSpeed(1.23456)).toBe('123.5 %');
  });

  it('says when a sample has no BPM and when a speed was held at a limit', () => {
    expect(speedShort(tempoSpeed(true, 96, null))).toBe('no BPM · 100 %');
    expect(speedShort(tempoSpeed(true, 96, null), true)).toBe('100 %');
    expect(speedShort(tempoSpeed(true, 96, 60))).toBe('150 % max');
    expect(speedShort(tempoSpeed(true, 50, 120))).toBe('50 % min');
    expect(speedShort(tempoSpeed(true, 96, 120))).toBe('80 %');
    expect(speedSentence(tempoSpeed(true, 96, null))).toBe('No BPM: plays at normal speed.');
    expect(speedSentence(tempoSpeed(true, 96, 120))).toBe('80 %: 120 → 96 BPM, pitch follows.');
    expect(speedSentence(tempoSpeed(true, 96, 60))).toBe("150 %, the device's fastest: 60 → 96 BPM needs 160 %.");
    expect(speedSentence(tempoSpeed(true, null, 60))).toBe('Normal speed: choose a tempo to play at.');
    expect(speedSentence(tempoSpeed(false, 96, 60))).toBe('Normal speed (kit tempo is off).');
  });
});
