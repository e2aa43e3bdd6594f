import { expect, it } from 'vitest';
import { formatBytes } from './format';

it('formatBytes picks the unit a library of any size reads best in', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(1536)).toBe('1.5 KB');
  expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  expect(formatBytes(3.5 * 1024 ** 3)).toBe('3.50 GB');
});
