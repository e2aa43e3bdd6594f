import { collectDropped, fromInput, isAudioName } from './entries';

// Fake File and Directory Entries: directories hand out their children in batches, like Chromium.
function fileEntry(fullPath: string) {
  const name = fullPath.split('/').pop()!;
  return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(new File(['x'], name)) };
}
function dirEntry(fullPath: string, children: object[], batch = 2) {
  return {
    isFile: false, isDirectory: true, name: fullPath.split('/').pop()!, fullPath,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (es: object[]) => void) {
          const out = children.slice(at, at + batch);
          at += batch;
          setTimeout(() => ok(out));
        },
      };
    },
  };
}
function transfer(entries: object[]): DataTransfer {
  return {
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e, getAsFile: () => null })),
    files: [],
  } as unknown as DataTransfer;
}

describe('collectDropped', () => {
  it('walks nested folders, reading every batch, and keeps paths', async () => {
    const dt = transfer([
      dirEntry('/drums', [
        fileEntry('/drums/kick.wav'), fileEntry('/drums/snare.WAV'), fileEntry('/drums/readme.txt'),
        fileEntry('/drums/.DS_Store'),
        dirEntry('/drums/hats', [fileEntry('/drums/hats/open.aif'), fileEntry('/drums/hats/closed.flac'), fileEntry('/drums/hats/x.mp3')]),
      ]),
      fileEntry('/loop.ogg'),
    ]);
    const got = await collectDropped(dt);
    expect(got.files.map((f) => f.path)).toEqual([
      'drums/kick.wav', 'drums/snare.WAV', 'drums/hats/open.aif', 'drums/hats/closed.flac', 'drums/hats/x.mp3', 'loop.ogg',
    ]);
    expect(got.skipped).toBe(2);
  });

  it('sends a loose non-audio file as is, for the server to explain', async () => {
    const got = await collectDropped(transfer([fileEntry('/notes.txt')]));
    expect(got.files.map((f) => f.path)).toEqual(['notes.txt']);
  });

  it('falls back to dataTransfer.files without entry support', async () => {
    const f = new File(['x'], 'a.wav');
    const dt = { items: [], files: [f] } as unknown as DataTransfer;
    expect((await collectDropped(dt)).files).toEqual([{ file: f, path: 'a.wav' }]);
  });
});

it('fromInput filters folder picks to audio and keeps relative paths', () => {
  const a = new File(['x'], 'a.wav');
  Object.defineProperty(a, 'webkitRelativePath', { value: 'kit/a.wav' });
  const b = new File(['x'], 'cover.jpg');
  const list = [a, b] as unknown as FileList;
  expect(fromInput(list, true)).toEqual({ files: [{ file: a, path: 'kit/a.wav' }], skipped: 1 });
  expect(fromInput(list, false).files).toHaveLength(2);
  expect(isAudioName('x.AIFF')).toBe(true);
  expect(isAudioName('x.m4a')).toBe(false);
});
