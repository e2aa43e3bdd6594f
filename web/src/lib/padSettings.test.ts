import { describe, expect, it } from 'vitest';
import { settingsBody, settingsProblem, type PadSettings } from './padSettings';

const defaults: PadSettings = {
  level: 127, pan: 0, pitch: 0, fine: 0, speed: 100, play_mode: 'forward', loop: false, gate: true, one_shot: false,
  mute_group: 0, bus: 1, attack: 0, hold: 100, release: 0, start_frame: 0, end_frame: 0, chops: [], sample_bpm: 0,
};

describe('settingsBody', () => {
  it('carries every editable setting and leaves the chop table alone', () => {
    const body = settingsBody(defaults);
    expect(Object.keys(body).sort()).toEqual(
      ['attack', 'bus', 'end_frame', 'fine', 'gate', 'hold', 'level', 'loop', 'mute_group', 'one_shot', 'pan', 'pitch', 'play_mode', 'release', 'sample_bpm', 'speed', 'start_frame'].sort(),
    );
    expect(body).not.toHaveProperty('chops');
  });
});

describe('settingsProblem', () => {
  it('accepts the device defaults', () => {
    expect(settingsProblem(defaults)).toBe('');
  });

  it('names the first setting outside the device range', () => {
    expect(settingsProblem({ ...defaults, level: 128 })).toMatch(/^Level/);
    expect(settingsProblem({ ...defaults, pitch: -13 })).toMatch(/^Pitch/);
    expect(settingsProblem({ ...defaults, speed: 151 })).toMatch(/^Speed/);
    expect(settingsProblem({ ...defaults, hold: 0 })).toMatch(/^Hold/);
    expect(settingsProblem({ ...defaults, level: NaN })).toMatch(/number/);
    expect(settingsProblem({ ...defaults, level: 3.5 })).toMatch(/whole/);
  });

  it('lets sample BPM be 0 (from the analysis) or 40–200', () => {
    expect(settingsProblem({ ...defaults, sample_bpm: 0 })).toBe('');
    expect(settingsProblem({ ...defaults, sample_bpm: 93.5 })).toBe('');
    expect(settingsProblem({ ...defaults, sample_bpm: 20 })).toMatch(/Sample BPM/);
  });

  it('wants the end after the start, inside the sample', () => {
    expect(settingsProblem({ ...defaults, start_frame: 100, end_frame: 50 })).toMatch(/End/);
    expect(settingsProblem({ ...defaults, start_frame: 100, end_frame: 0 })).toBe('');
    expect(settingsProblem({ ...defaults, end_frame: 2000 }, 1000)).toMatch(/1000 frames/);
  });
});
