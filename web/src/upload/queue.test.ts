// @vitest-environment node
import { outcome, summary, UploadQueue, type SendResult, type Transport } from './queue';

const file = (name: string) => new File(['x'], name, { type: 'audio/wav' });

/** controllable transport: each call waits until the test settles it. */
function manualTransport() {
  const calls: Array<{ name: string; progress: (p: number) => void; settle: (r: SendResult) => void; fail: (e: unknown) => void }> = [];
  const t: Transport = (f, onProgress) =>
    new Promise((settle, fail) => calls.push({ name: f.name, progress: onProgress, settle, fail }));
  return { t, calls };
}

const tick = () => new Promise((r) => setTimeout(r));

describe('UploadQueue', () => {
  it('sends one request per file, at most three at a time', async () => {
    const { t, calls } = manualTransport();
    const q = new UploadQueue(t, 3);
    q.add(['a', 'b', 'c', 'd', 'e'].map((n) => ({ file: file(`${n}.wav`) })));
    expect(calls.map((c) => c.name)).toEqual(['a.wav', 'b.wav', 'c.wav']);
    expect(summary(q.getItems())).toMatchObject({ uploading: 3, queued: 2 });
    calls[1].settle({ status: 201, statusText: 'Created', body: { items: [{ id: 9, duplicate: false }] } });
    await tick();
    expect(calls.map((c) => c.name)).toEqual(['a.wav', 'b.wav', 'c.wav', 'd.wav']);
    expect(q.getItems()[1]).toMatchObject({ status: 'added', sampleId: 9, progress: 1 });
  });

  it('publishes progress and every outcome', async () => {
    const { t, calls } = manualTransport();
    const q = new UploadQueue(t, 3);
    const settled: string[] = [];
    q.onSettled = (i) => settled.push(`${i.path}:${i.status}`);
    q.add([{ file: file('a.wav'), path: 'kits/a.wav' }, { file: file('b.wav') }, { file: file('c.txt') }, { file: file('d.wav') }]);
    calls[0].progress(0.5);
    expect(q.getItems()[0].progress).toBe(0.5);
    calls[0].settle({ status: 201, statusText: 'Created', body: { items: [{ id: 1, duplicate: false }] } });
    calls[1].settle({ status: 200, statusText: 'OK', body: { items: [{ id: 2, duplicate: true }] } });
    calls[2].settle({ status: 415, statusText: 'Unsupported Media Type', body: { title: 'Unsupported Media Type', status: 415, detail: 'c.txt is not audio' } });
    await tick();
    calls[3].fail(new Error('network error: the server could not be reached'));
    await tick();
    expect(q.getItems().map((i) => [i.path, i.status, i.detail])).toEqual([
      ['kits/a.wav', 'added', undefined],
      ['b.wav', 'duplicate', undefined],
      ['c.txt', 'rejected', 'c.txt is not audio'],
      ['d.wav', 'rejected', 'network error: the server could not be reached'],
    ]);
    expect(settled).toEqual(['kits/a.wav:added', 'b.wav:duplicate', 'c.txt:rejected', 'd.wav:rejected']);
  });

  it('notifies subscribers and clears finished files', async () => {
    const { t, calls } = manualTransport();
    const q = new UploadQueue(t, 1);
    const fn = vi.fn();
    q.subscribe(fn);
    q.add([{ file: file('a.wav') }, { file: file('b.wav') }]);
    expect(fn).toHaveBeenCalled();
    calls[0].settle({ status: 201, statusText: 'Created', body: { items: [{ id: 1 }] } });
    await tick();
    q.clearFinished();
    expect(q.getItems().map((i) => i.file.name)).toEqual(['b.wav']);
  });
});

describe('outcome', () => {
  it('reads a 201 with a duplicate flag as already there', () => {
    expect(outcome({ status: 201, statusText: '', body: { items: [{ id: 4, duplicate: true }] } })).toEqual({ status: 'duplicate', sampleId: 4 });
  });
  it('takes a text body when the error is not a problem document', () => {
    expect(outcome({ status: 413, statusText: 'Request Entity Too Large', body: 'too big' })).toEqual({ status: 'rejected', detail: 'too big' });
  });
  it('falls back to the status text', () => {
    expect(outcome({ status: 502, statusText: 'Bad Gateway', body: '' })).toEqual({ status: 'rejected', detail: 'Bad Gateway' });
  });
});
