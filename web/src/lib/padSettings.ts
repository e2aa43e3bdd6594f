import type { components } from '../api/schema';

export type PadSettings = components['schemas']['PadSettings'];
export type EditableSettings = Omit<PadSettings, 'chops'>;
type NumKey = { [K in keyof EditableSettings]: EditableSettings[K] extends number ? K : never }[keyof EditableSettings];
type BoolKey = { [K in keyof EditableSettings]: EditableSettings[K] extends boolean ? K : never }[keyof EditableSettings];

export interface NumberField {
  key: NumKey;
  label: string;
  min: number;
  max?: number;
  step?: number;
  hint?: string;
  /** zero also allowed outside min–max (means "automatic") */
  zeroOk?: boolean;
}

/** The device's ranges, as the server checks them. */
export const NUMBER_FIELDS: NumberField[] = [
  { key: 'level', label: 'Level', min: 0, max: 127 },
  { key: 'pan', label: 'Pan', min: -51, max: 51, hint: 'L50…R50, ±51 = mono L/R' },
  { key: 'pitch', label: 'Pitch', min: -12, max: 12, hint: 'semitones' },
  { key: 'fine', label: 'Fine', min: -100, max: 100, hint: 'cents' },
  { key: 'speed', label: 'Speed', min: 50, max: 150, step: 0.01, hint: '%' },
  { key: 'mute_group', label: 'Mute group', min: 0, max: 10, hint: '0 = none' },
  { key: 'attack', label: 'Attack', min: 0, max: 127 },
  { key: 'hold', label: 'Hold', min: 1, max: 100, hint: '%' },
  { key: 'release', label: 'Release', min: 0, max: 127 },
  { key: 'start_frame', label: 'Start', min: 0, hint: 'frame' },
  { key: 'end_frame', label: 'End', min: 0, hint: 'frame, 0 = end' },
  { key: 'sample_bpm', label: 'Sample BPM', min: 40, max: 200, step: 0.01, hint: '0 = from analysis', zeroOk: true },
];

export const BOOL_FIELDS: Array<{ key: BoolKey; label: string }> = [
  { key: 'loop', label: 'Loop' },
  { key: 'gate', label: 'Gate' },
  { key: 'one_shot', label: 'One shot' },
];

export const PLAY_MODES: PadSettings['play_mode'][] = ['forward', 'reverse', 'pingpong', 'reverse-pingpong'];
export const BUSES = [
  { value: 0, label: 'Dry' },
  { value: 1, label: 'Bus 1' },
  { value: 2, label: 'Bus 2' },
];

/** settingsProblem returns the first out-of-range setting as a sentence, or ''. */
export function settingsProblem(s: EditableSettings, frames = 0): string {
  for (const f of NUMBER_FIELDS) {
    const v = s[f.key];
    if (!Number.isFinite(v)) return `${f.label} must be a number.`;
    if (f.zeroOk && v === 0) continue;
    if (v < f.min || (f.max !== undefined && v > f.max)) {
      return `${f.label} must be ${f.min}–${f.max ?? '…'}${f.zeroOk ? ' (or 0)' : ''}.`;
    }
    if (f.step === undefined && !Number.isInteger(v)) return `${f.label} must be a whole number.`;
  }
  if (!PLAY_MODES.includes(s.play_mode)) return 'Unknown play mode.';
  if (![0, 1, 2].includes(s.bus)) return 'Bus must be dry, 1 or 2.';
  if (s.end_frame !== 0 && s.end_frame <= s.start_frame) return 'End must come after start (or be 0).';
  if (frames > 0 && (s.start_frame >= frames || s.end_frame > frames)) return `The trim must stay inside the sample's ${frames} frames.`;
  return '';
}

/** settingsBody is the `settings` object of PUT …/pads/{bank}/{pad}: every editable setting. */
export function settingsBody(s: EditableSettings): EditableSettings {
  const out = {} as Record<string, unknown>;
  for (const f of NUMBER_FIELDS) out[f.key] = s[f.key];
  for (const f of BOOL_FIELDS) out[f.key] = s[f.key];
  out.play_mode = s.play_mode;
  out.bus = s.bus;
  return out as unknown as EditableSettings;
}
