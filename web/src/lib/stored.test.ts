import { afterEach, expect, it, vi } from 'vitest';
import { readStored, writeStored } from './stored';

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

it('stores, reads and removes a value', () => {
  writeStored('k', 'v');
  expect(readStored('k')).toBe('v');
  writeStored('k', null);
  expect(readStored('k')).toBeNull();
});

it('answers null and stores nothing when storage is unavailable', () => {
  vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
    throw new Error('denied');
  });
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new Error('denied');
  });
  expect(readStored('k')).toBeNull();
  expect(() => writeStored('k', 'v')).not.toThrow();
});
