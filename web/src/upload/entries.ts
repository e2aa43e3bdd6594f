/** Audio files the library reads; other files inside dropped folders are skipped. */
export const AUDIO_EXTENSIONS = ['wav', 'wave', 'aif', 'aiff', 'aifc', 'mp3', 'flac', 'ogg', 'oga'];

export const isAudioName = (name: string) =>
  AUDIO_EXTENSIONS.includes(name.split('.').pop()?.toLowerCase() ?? '');

export interface Picked {
  file: File;
  path: string;
}

export interface Collected {
  files: Picked[];
  /** files inside folders that are not audio (or are hidden) and were left out */
  skipped: number;
}

// The parts of the File and Directory Entries API we use.
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
}
interface FileEntry extends Entry {
  file(ok: (f: File) => void, fail: (e: unknown) => void): void;
}
interface DirEntry extends Entry {
  createReader(): { readEntries(ok: (es: Entry[]) => void, fail: (e: unknown) => void): void };
}

const fileOf = (e: FileEntry) => new Promise<File>((ok, fail) => e.file(ok, fail));

/** readAll drains a directory reader, which hands out entries in batches (about 100 at a time). */
async function readAll(dir: DirEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

async function walk(entry: Entry, into: Collected, top: boolean) {
  if (entry.name.startsWith('.')) {
    if (entry.isFile) into.skipped++;
    return;
  }
  if (entry.isFile) {
    // A file dropped on its own goes to the server as is (it answers with a clear error);
    // inside folders only audio files are taken.
    if (!top && !isAudioName(entry.name)) {
      into.skipped++;
      return;
    }
    const file = await fileOf(entry as FileEntry);
    into.files.push({ file, path: entry.fullPath.replace(/^\//, '') || file.name });
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as DirEntry)) await walk(child, into, false);
  }
}

/**
 * collectDropped turns a drop's DataTransfer into files, descending into folders. Entries are
 * taken synchronously first: the browser empties the DataTransfer once the event handler returns.
 */
export async function collectDropped(dt: DataTransfer): Promise<Collected> {
  const into: Collected = { files: [], skipped: 0 };
  const entries: Entry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (entries.length === 0 && loose.length === 0) {
    loose.push(...Array.from(dt.files ?? []));
  }
  for (const f of loose) into.files.push({ file: f, path: f.name });
  for (const e of entries) await walk(e, into, true);
  return into;
}

/** fromInput reads an <input type=file> (with or without webkitdirectory). */
export function fromInput(list: FileList | null, folder: boolean): Collected {
  const into: Collected = { files: [], skipped: 0 };
  for (const f of Array.from(list ?? [])) {
    const path = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    if (folder && (!isAudioName(f.name) || f.name.startsWith('.'))) {
      into.skipped++;
      continue;
    }
    into.files.push({ file: f, path });
  }
  return into;
}
