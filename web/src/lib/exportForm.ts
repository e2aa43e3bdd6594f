import type { components } from '../api/schema';

export type ExportRequest = components['schemas']['ExportRequest'];
export type ExportTarget = ExportRequest['target'];
export type Normalize = 'none' | 'peak' | 'lufs';

export const TARGETS: Array<{ value: ExportTarget; label: string; explain: string }> = [
  { value: 'mk2', label: 'MKII import folder', explain: 'Loose WAV files you copy to the SD card and bring in with the MKII’s IMPORT menu.' },
  { value: 'mk2-project', label: 'MKII project', explain: 'A ready-made MKII project (pads, settings and tempo) to put in one project slot.' },
  { value: 'sx', label: 'SX / A card', explain: 'The folder tree an SP-404SX or SP-404A reads straight off its SD card.' },
];

export interface ExportForm {
  target: ExportTarget;
  projectName: string;
  slot: number;
  normalize: Normalize;
  trimSilence: boolean;
}

export const defaultExportForm = (kitName: string, prefs?: { export_target?: ExportTarget; export_normalize?: Normalize; export_trim_silence?: boolean }): ExportForm => ({
  target: prefs?.export_target ?? 'mk2',
  projectName: kitName,
  slot: 1,
  normalize: prefs?.export_normalize ?? 'none',
  trimSilence: prefs?.export_trim_silence ?? false,
});

/** formProblem says what is wrong with the form, or '' when it can be sent. */
export function formProblem(f: ExportForm): string {
  if (f.target === 'mk2-project' && (!Number.isInteger(f.slot) || f.slot < 1 || f.slot > 16)) return 'The project slot is 1 to 16.';
  if (f.projectName.trim().length > 64) return 'The project name is at most 64 characters.';
  return '';
}

/**
 * exportRequest is the body of POST /api/v1/kits/{id}/export for the form. The slot only means
 * something for an MKII project, so other targets leave it out.
 */
export function exportRequest(f: ExportForm, dryRun: boolean): ExportRequest {
  const body: ExportRequest = {
    target: f.target,
    normalize: f.normalize,
    trim_silence: f.trimSilence,
    dry_run: dryRun,
  };
  const name = f.projectName.trim();
  if (name) body.project_name = name;
  if (f.target === 'mk2-project') body.slot = f.slot;
  return body;
}
