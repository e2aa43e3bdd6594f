import { afterEach, expect, it, vi } from 'vitest';
import { everyFrame } from './dom';

afterEach(() => vi.useRealTimers());

it('everyFrame calls at once, on each frame, and not after stop', () => {
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame'] });
  const fn = vi.fn();
  const stop = everyFrame(fn);
  expect(fn).toHaveBeenCalledTimes(1);
  vi.advanceTimersToNextFrame();
  vi.advanceTimersToNextFrame();
  expect(fn).toHaveBeenCalledTimes(3);
  stop();
  vi.advanceTimersToNextFrame();
  expect(fn).toHaveBeenCalledTimes(3);
});
