/**
 * "Play at kit tempo" the way the SP-404 plays a sample against a tempo without time-stretch, like
 * a record: speed = kit BPM / sample BPM, and the pitch moves with the speed. The device's speed
 * range is 50–150 %, so a ratio outside it is clamped there (the loop then drifts from the kit's
 * tempo, and the UI says so).
 */

export const MIN_SPEED = 0.5;
export const MAX_SPEED = 1.5;

/**
 * Why a sample plays at the speed it does:
 * - `off`: kit tempo is switched off (normal speed);
 * - `no-target`: switched on, but there is no kit tempo here (normal speed);
 * - `no-bpm`: the sample has no tempo to follow (normal speed);
 * - `tempo`: kit BPM / sample BPM, inside the device's range;
 * - `clamped`: the ratio was outside 50–150 % and was held at the nearest limit.
 */
export type SpeedReason = 'off' | 'no-target' | 'no-bpm' | 'tempo' | 'clamped';

export interface Speed {
  /** the playback rate to apply (1 = normal) */
  rate: number;
  /** the ratio the tempi ask for before clamping (equals rate unless clamped; 1 when not following) */
  wanted: number;
  sampleBpm: number | null;
  targetBpm: number | null;
  reason: SpeedReason;
}

const usable = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** clampSpeed holds a rate inside the device's 50–150 %. */
export const clampSpeed = (rate: number) => Math.min(MAX_SPEED, Math.max(MIN_SPEED, rate));

/**
 * tempoSpeed is the speed a sample of `sampleBpm` plays at against `targetBpm` when kit tempo is
 * `on`. The rate is rounded to 1/10,000 (the device's speed has 0.01 % steps) so the same tempi
 * always give the same number.
 */
export function tempoSpeed(on: boolean, targetBpm: number | null | undefined, sampleBpm: number | null | undefined): Speed {
  const sample = usable(sampleBpm) ? sampleBpm : null;
  const target = usable(targetBpm) ? targetBpm : null;
  const normal = (reason: SpeedReason): Speed => ({ rate: 1, wanted: 1, sampleBpm: sample, targetBpm: target, reason });
  if (!on) return normal('off');
  if (target === null) return normal('no-target');
  if (sample === null) return normal('no-bpm');
  const wanted = Math.round((target / sample) * 10_000) / 10_000;
  const rate = clampSpeed(wanted);
  return { rate, wanted, sampleBpm: sample, targetBpm: target, reason: rate === wanted ? 'tempo' : 'clamped' };
}

/** formatSpeed writes a rate as the device shows speed: "77.5 %". */
export function formatSpeed(rate: number): string {
  const pct = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(pct) ? pct : pct.toFixed(1)} %`;
}

const bpm = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * speedShort is the few words a pad or list row shows: "80 %", "150 % max", "no BPM · 100 %".
 * `compact` drops the "no BPM" (for narrow columns that show the BPM beside it).
 */
export function speedShort(s: Speed, compact = false): string {
  switch (s.reason) {
    case 'tempo':
      return formatSpeed(s.rate);
    case 'clamped':
      return `${formatSpeed(s.rate)} ${s.wanted > 1 ? 'max' : 'min'}`;
    case 'no-bpm':
      return compact ? '100 %' : 'no BPM · 100 %';
    default:
      return '100 %';
  }
}

/** speedSentence explains a speed in full, for the status line and the inspector. */
export function speedSentence(s: Speed): string {
  switch (s.reason) {
    case 'off':
      return 'Normal speed (kit tempo is off).';
    case 'no-target':
      return 'Normal speed: choose a tempo to play at.';
    case 'no-bpm':
      return 'No BPM: plays at normal speed.';
    case 'tempo':
      return `${formatSpeed(s.rate)}: ${bpm(s.sampleBpm!)} → ${bpm(s.targetBpm!)} BPM, pitch follows.`;
    case 'clamped':
      return `${formatSpeed(s.rate)}, the device's ${s.wanted > 1 ? 'fastest' : 'slowest'}: ${bpm(s.sampleBpm!)} → ${bpm(s.targetBpm!)} BPM needs ${formatSpeed(s.wanted)}.`;
  }
}
