import { describe, expect, it } from 'vitest';
import { defaultExportForm, exportRequest, formProblem } from './exportForm';

describe('exportRequest', () => {
  it('sends the target, options and dry-run flag, without a slot outside MKII projects', () => {
    const f = { ...defaultExportForm('Dusty'), normalize: 'peak' as const, trimSilence: true };
    expect(exportRequest(f, true)).toEqual({ target: 'mk2', normalize: 'peak', trim_silence: true, dry_run: true, project_name: 'Dusty' });
    expect(exportRequest({ ...f, target: 'sx', slot: 5 }, false)).toEqual({
      target: 'sx',
      normalize: 'peak',
      trim_silence: true,
      dry_run: false,
      project_name: 'Dusty',
    });
  });

  it('sends the slot for an MKII project and leaves out a blank name', () => {
    const f = { ...defaultExportForm('  '), target: 'mk2-project' as const, slot: 7 };
    const body = exportRequest(f, false);
    expect(body.slot).toBe(7);
    expect(body).not.toHaveProperty('project_name');
  });

  it('starts from the saved export preferences', () => {
    const f = defaultExportForm('K', { export_target: 'sx', export_normalize: 'lufs', export_trim_silence: true });
    expect(exportRequest(f, true)).toMatchObject({ target: 'sx', normalize: 'lufs', trim_silence: true });
  });
});

describe('formProblem', () => {
  it('refuses a slot outside 1–16 for an MKII project only', () => {
    const f = { ...defaultExportForm('K'), target: 'mk2-project' as const, slot: 17 };
    expect(formProblem(f)).toMatch(/slot/);
    expect(formProblem({ ...f, slot: 16 })).toBe('');
    expect(formProblem({ ...f, target: 'mk2' })).toBe('');
  });
});
