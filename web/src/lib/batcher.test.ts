import { Batcher } from './batcher';

function fakeFetch(answer = (ids: number[]) => new Map(ids.filter((id) => id % 10 !== 0).map((id) => [id, `peaks ${id}`]))) {
  const calls: number[][] = [];
  const fetchMany = vi.fn(async (ids: number[]) => {
    calls.push(ids);
    return answer(ids);
  });
  return { calls, fetchMany };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Batcher', () => {
  it('answers loads made close together with one request', async () => {
    const { calls, fetchMany } = fakeFetch();
    const b = new Batcher<number, string>(fetchMany, { wait: 20 });
    const a = b.load(3);
    vi.advanceTimersByTime(10);
    const c = b.load(1);
    vi.advanceTimersByTime(10);
    const d = b.load(2);
    expect(calls).toEqual([]); // each load restarts the quiet time
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([[3, 1, 2]]);
    expect(await Promise.all([a, c, d])).toEqual(['peaks 3', 'peaks 1', 'peaks 2']);
  });

  it('sends after maxWait even while loads keep coming, and splits batches above max', async () => {
    const { calls, fetchMany } = fakeFetch();
    const b = new Batcher<number, string>(fetchMany, { wait: 20, maxWait: 50, max: 3 });
    for (let i = 1; i <= 7; i++) {
      void b.load(i);
      vi.advanceTimersByTime(10);
    }
    await vi.advanceTimersByTimeAsync(0);
    // 1–5 came within 50 ms of the first and went in batches of at most three; 6 and 7 wait.
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([[1, 2, 3], [4, 5], [6, 7]]);
  });

  it('asks once for a key wanted twice, waiting or in flight, and answers null for keys left out', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { calls, fetchMany } = fakeFetch();
    const slow = vi.fn(async (ids: number[]) => {
      await gate;
      return fetchMany(ids);
    });
    const b = new Batcher<number, string>(slow, { wait: 5 });
    const first = b.load(10);
    const again = b.load(10);
    const other = b.load(11);
    await vi.advanceTimersByTimeAsync(5);
    const inFlight = b.load(11);
    await vi.advanceTimersByTimeAsync(50);
    expect(slow).toHaveBeenCalledTimes(1);
    release();
    expect(await first).toBeNull(); // the server left 10 out (not analysed)
    expect(await again).toBeNull();
    expect(await other).toBe('peaks 11');
    expect(await inFlight).toBe('peaks 11');
    expect(calls).toEqual([[10, 11]]);
    // Once answered, a new load asks again (caching is the caller's business).
    const later = b.load(11);
    await vi.advanceTimersByTimeAsync(5);
    expect(await later).toBe('peaks 11');
    expect(calls).toEqual([[10, 11], [11]]);
  });

  it('fails every load of a failed request, and the next batch starts afresh', async () => {
    let fail = true;
    const b = new Batcher<number, string>(async (ids) => {
      if (fail) throw new Error('server down');
      return new Map(ids.map((id) => [id, 'ok']));
    });
    const a = b.load(1);
    const c = b.load(2);
    const errs = Promise.allSettled([a, c]);
    await vi.advanceTimersByTimeAsync(30);
    expect((await errs).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(a).rejects.toThrow('server down');
    fail = false;
    const retry = b.load(1);
    await vi.advanceTimersByTimeAsync(30);
    expect(await retry).toBe('ok');
  });
});
