// @vitest-environment node
import { Semaphore } from './semaphore';

it('Semaphore runs at most n tasks and lets aborted waiters leave the line', async () => {
  const s = new Semaphore(2);
  const r1 = await s.acquire();
  await s.acquire();
  let third = false;
  const ctl = new AbortController();
  const aborted = s.acquire(ctl.signal).catch(() => 'aborted');
  const waiting = s.acquire().then((r) => {
    third = true;
    return r;
  });
  await Promise.resolve();
  expect(third).toBe(false);
  ctl.abort();
  expect(await aborted).toBe('aborted');
  r1();
  r1(); // releasing twice frees one slot only
  await waiting;
  expect(third).toBe(true);
});
