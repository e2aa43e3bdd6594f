/**
 * Batcher gathers single-key loads made close together into one request for all of them (the
 * DataLoader pattern): the library's rows each ask for their waveform, and the rows that settle on
 * screen together are answered by one `GET /api/v1/waveforms?ids=…`.
 *
 * A batch is sent once no new key has arrived for `wait` ms, or `maxWait` ms after its first key,
 * whichever comes first; batches larger than `max` keys are split. A key asked for again while it
 * is waiting or in flight shares that load. Keys the answer leaves out resolve to null.
 */
export interface BatcherOptions {
  wait?: number;
  maxWait?: number;
  max?: number;
}

interface Waiter<V> {
  resolve: (v: V | null) => void;
  reject: (e: unknown) => void;
}

export class Batcher<K, V> {
  private readonly wait: number;
  private readonly maxWait: number;
  private readonly max: number;
  private queued = new Map<K, Waiter<V>[]>();
  private inFlight = new Map<K, Promise<V | null>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstAt = 0;

  constructor(
    private readonly fetchMany: (keys: K[]) => Promise<Map<K, V>>,
    opts: BatcherOptions = {},
  ) {
    this.wait = opts.wait ?? 20;
    this.maxWait = opts.maxWait ?? 100;
    this.max = opts.max ?? 200;
  }

  load(key: K): Promise<V | null> {
    const flying = this.inFlight.get(key);
    if (flying) return flying;
    return new Promise<V | null>((resolve, reject) => {
      const waiters = this.queued.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.queued.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule() {
    const now = Date.now();
    if (this.timer === undefined) this.firstAt = now;
    clearTimeout(this.timer);
    const due = Math.min(this.wait, Math.max(0, this.firstAt + this.maxWait - now));
    this.timer = setTimeout(() => this.flush(), due);
  }

  /** flush sends what is queued now, in batches of at most `max` keys. */
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    const queued = this.queued;
    this.queued = new Map();
    const keys = [...queued.keys()];
    for (let i = 0; i < keys.length; i += this.max) this.send(keys.slice(i, i + this.max), queued);
  }

  private send(keys: K[], queued: Map<K, Waiter<V>[]>) {
    const all = this.fetchMany(keys);
    for (const k of keys) {
      const one = all.then((m) => m.get(k) ?? null);
      this.inFlight.set(k, one);
      one.then(
        (v) => queued.get(k)!.forEach((w) => w.resolve(v)),
        (e) => queued.get(k)!.forEach((w) => w.reject(e)),
      ).finally(() => {
        if (this.inFlight.get(k) === one) this.inFlight.delete(k);
      });
    }
  }
}
