import { CSRF_HEADER, session, toApiError } from '../api/client';

export type UploadStatus = 'queued' | 'uploading' | 'added' | 'duplicate' | 'rejected';

export interface UploadItem {
  key: number;
  file: File;
  /** path inside a dropped folder, or the file name */
  path: string;
  status: UploadStatus;
  /** bytes sent / total, 0–1 */
  progress: number;
  /** the server's problem detail for a rejected file */
  detail?: string;
  sampleId?: number;
}

export interface SendResult {
  status: number;
  statusText: string;
  body: unknown;
}

/** Transport sends one file and reports upload progress (0–1). */
export type Transport = (file: File, onProgress: (p: number) => void, signal: AbortSignal) => Promise<SendResult>;

/** xhrTransport posts one file to the upload endpoint with XMLHttpRequest, for progress events. */
export const xhrTransport: Transport = (file, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/samples');
    if (session.csrfToken) xhr.setRequestHeader(CSRF_HEADER, session.csrfToken);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 401) session.onUnauthorized();
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON; keep the text
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, body });
    };
    xhr.onerror = () => reject(new Error('network error: the server could not be reached'));
    xhr.onabort = () => reject(new DOMException('cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });

/** outcome reads the upload endpoint's answer for one file. */
export function outcome(r: SendResult): Pick<UploadItem, 'status' | 'detail' | 'sampleId'> {
  if (r.status === 200 || r.status === 201) {
    const items = (r.body as { items?: Array<{ id: number; duplicate?: boolean }> } | null)?.items ?? [];
    const first = items[0];
    const dup = r.status === 200 || first?.duplicate === true;
    return { status: dup ? 'duplicate' : 'added', sampleId: first?.id };
  }
  return { status: 'rejected', detail: toApiError(r.status, r.statusText, r.body).message };
}

/**
 * UploadQueue uploads files one request each, `concurrency` at a time, and publishes a snapshot
 * of every file's state to its subscribers.
 */
export class UploadQueue {
  private items: UploadItem[] = [];
  private running = 0;
  private seq = 0;
  private listeners = new Set<() => void>();
  private controllers = new Map<number, AbortController>();
  /** onSettled is told about each finished file (to refresh the library). */
  onSettled?: (item: UploadItem) => void;

  constructor(
    private readonly transport: Transport = xhrTransport,
    readonly concurrency = 3,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getItems = () => this.items;

  add(files: Array<{ file: File; path?: string }>) {
    const fresh = files.map(({ file, path }) => ({
      key: ++this.seq, file, path: path || file.name, status: 'queued' as const, progress: 0,
    }));
    this.items = [...this.items, ...fresh];
    this.emit();
    this.pump();
  }

  /** clearFinished drops files that are done, keeping queued and uploading ones. */
  clearFinished() {
    this.items = this.items.filter((i) => i.status === 'queued' || i.status === 'uploading');
    this.emit();
  }

  cancelAll() {
    for (const c of this.controllers.values()) c.abort();
    this.items = this.items.filter((i) => i.status !== 'queued');
    this.emit();
  }

  private update(key: number, p: Partial<UploadItem>) {
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...p } : i));
    this.emit();
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }

  private pump() {
    while (this.running < this.concurrency) {
      const next = this.items.find((i) => i.status === 'queued');
      if (!next) return;
      this.running++;
      this.update(next.key, { status: 'uploading', progress: 0 });
      void this.run(next.key, next.file).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(key: number, file: File) {
    const ctl = new AbortController();
    this.controllers.set(key, ctl);
    let last = 0;
    try {
      const r = await this.transport(
        file,
        (p) => {
          // Progress events come fast; a repaint per percent is plenty.
          if (p - last >= 0.01 || p === 1) {
            last = p;
            this.update(key, { progress: p });
          }
        },
        ctl.signal,
      );
      this.update(key, { ...outcome(r), progress: 1 });
    } catch (e) {
      const aborted = e instanceof DOMException && e.name === 'AbortError';
      this.update(key, { status: 'rejected', detail: aborted ? 'cancelled' : (e as Error).message });
    } finally {
      this.controllers.delete(key);
      const item = this.items.find((i) => i.key === key);
      if (item) this.onSettled?.(item);
    }
  }
}

/** summary counts files by state. */
export function summary(items: UploadItem[]) {
  const c = { queued: 0, uploading: 0, added: 0, duplicate: 0, rejected: 0 };
  for (const i of items) c[i.status]++;
  return c;
}
