import { describe, expect, it } from 'vitest';
import { closedEarly, initialVibe, reduceVibeMessage, stepLabel, toVibe, vibeSocketUrl, type VibeLive } from './vibeSocket';

const vibe = {
  mood_primary: 'melancholic',
  mood_secondary: 'warm',
  energy: 0.4,
  danceability: 0.6,
  texture: ['dusty'],
  era: '90s',
  genres: ['boom bap'],
  descriptors: ['mellow'],
  best_use: ['chops'],
  confidence: 0.7,
  sources: { mood: 'offline' },
};

const fold = (msgs: unknown[], s: VibeLive = initialVibe) => msgs.reduce<VibeLive>((acc, m) => reduceVibeMessage(acc, typeof m === 'string' ? m : JSON.stringify(m)), s);

describe('vibeSocketUrl', () => {
  it('follows the page: ws for http, wss for https', () => {
    expect(vibeSocketUrl({ protocol: 'http:', host: 'localhost:8100' }, 4)).toBe('ws://localhost:8100/ws/vibe/4');
    expect(vibeSocketUrl({ protocol: 'https:', host: 'sp.example' }, 9)).toBe('wss://sp.example/ws/vibe/9');
  });
});

describe('reduceVibeMessage', () => {
  it('collects steps, shows partial results and ends with the final vibe', () => {
    const mid = fold([
      { type: 'status', status: 'analyzing' },
      { type: 'progress', step: 'features loaded', progress: 20 },
      { type: 'progress', step: 'offline vibe', progress: 60 },
      { type: 'partial', data: { ...vibe, mood_primary: 'calm' } },
    ]);
    expect(mid.phase).toBe('running');
    expect(mid.steps).toEqual([
      { step: 'features loaded', progress: 20 },
      { step: 'offline vibe', progress: 60 },
    ]);
    expect(mid.progress).toBe(60);
    expect(mid.partial?.mood_primary).toBe('calm');

    const end = fold([{ type: 'complete', data: vibe, fallback: 'no API key' }], mid);
    expect(end.phase).toBe('complete');
    expect(end.progress).toBe(100);
    expect(end.vibe).toEqual(vibe);
    expect(end.partial).toBeNull();
    expect(end.fallback).toBe('no API key');
  });

  it('updates a repeated step in place and never moves the bar backwards', () => {
    const s = fold([
      { type: 'progress', step: 'llm request', progress: 70 },
      { type: 'progress', step: 'llm request', progress: 90 },
      { type: 'progress', step: 'saved', progress: 50 },
    ]);
    expect(s.steps).toEqual([
      { step: 'llm request', progress: 90 },
      { step: 'saved', progress: 50 },
    ]);
    expect(s.progress).toBe(90);
  });

  it('reports the server error and ignores whatever follows the end', () => {
    const s = fold([{ type: 'progress', step: 'features loaded', progress: 20 }, { type: 'error', message: 'budget exhausted' }]);
    expect(s.phase).toBe('error');
    expect(s.error).toBe('budget exhausted');
    expect(fold([{ type: 'complete', data: vibe }], s)).toBe(s);
    expect(closedEarly(s, 'gone')).toBe(s);
  });

  it('leaves the state alone for unreadable or unknown messages', () => {
    const s = fold(['not json', 'null', '[1]', { type: 'mystery' }, { type: 'progress' }, { type: 'partial', data: 'x' }]);
    expect(s).toBe(initialVibe);
  });

  it('treats a complete without a readable vibe as an error', () => {
    expect(fold([{ type: 'complete' }]).phase).toBe('error');
  });

  it('fills missing vibe fields with empty values', () => {
    expect(toVibe({ mood_primary: 'dark', energy: 'high', genres: ['a', 3] })).toEqual({
      mood_primary: 'dark', mood_secondary: '', energy: 0, danceability: 0, texture: [], era: '', genres: ['a'],
      descriptors: [], best_use: [], confidence: 0, sources: {},
    });
  });
});

describe('closedEarly', () => {
  it('turns a socket closed mid-run into an error with a reason', () => {
    const s = fold([{ type: 'status' }]);
    expect(closedEarly(s, '').error).toMatch(/closed before/);
    expect(closedEarly(s, 'sample not found').error).toBe('sample not found');
    const done = fold([{ type: 'complete', data: vibe }]);
    expect(closedEarly(done, '')).toBe(done);
  });
});

describe('stepLabel', () => {
  it('names the known steps and capitalises others', () => {
    expect(stepLabel('offline vibe')).toBe('Offline vibe from the analysis');
    expect(stepLabel('tagging')).toBe('Tagging');
  });
});
