// Measures the UI against a real server with a large library; numbers go into docs/performance.md ("Web UI performance").
//   node scripts/perf.mjs [--samples 10000] [--seed upload|import] [--keep]
// Builds the Go binary (the UI in web/dist must be built first), seeds a fresh SQLite library with
// distinct generated WAVs, and drives Debian's Chromium. Two ways to seed:
//   upload  POST /api/v1/samples to the running server, 100 files a request (the default up to
//           10,000 samples: it goes through the same path as the UI's uploads);
//   import  write the WAVs into the data dir's import folder and run `sp404agent import` on it
//           before the server starts (the default above 10,000: no HTTP, no multipart parsing).
//           The import analyses everything before it exits. It must finish before `serve` starts:
//           on SQLite one process owns the job queue, and a server starting beside a running
//           import would take the import's half-done analyses for a dead process's and redo them.
// --keep leaves the temporary folder (binary, data dir with the seeded library) for a closer look.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { wav16 } from '../e2e/wav.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');
const argN = process.argv.indexOf('--samples');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 10_000;
const argSeed = process.argv.indexOf('--seed');
const seed = argSeed > 0 ? process.argv[argSeed + 1] : N > 10_000 ? 'import' : 'upload';
if (!['upload', 'import'].includes(seed)) throw new Error(`--seed ${seed}: want upload or import`);
const keep = process.argv.includes('--keep');
const out = { seed };
// The 1-minute load average at each step: the machine is shared, and a busy one slows every number.
const load = (step) => {
  out.loadAverage = { ...out.loadAverage, [step]: +loadavg()[0].toFixed(2) };
};

// 1. Initial JS: the entry script and its modulepreloads, gzipped as the server would send them.
const html = readFileSync(join(web, 'dist/index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (f) => gzipSync(readFileSync(join(web, 'dist', f)), { level: 9 }).length;
out.initialJsGzipKB = +(initial.reduce((s, f) => s + gz(f), 0) / 1024).toFixed(1);
out.chunksGzipKB = Object.fromEntries(
  readdirSync(join(web, 'dist/assets')).filter((f) => f.endsWith('.js')).map((f) => [f, +(gz(`assets/${f}`) / 1024).toFixed(1)]),
);

// 2. Server with N samples.
const tmp = mkdtempSync(join(tmpdir(), 'sp404-perf-'));
const bin = join(tmp, 'sp404agent');
execFileSync('go', ['build', '-o', bin, './cmd/sp404agent'], { cwd: repo, stdio: 'inherit' });
const dataDir = join(tmp, 'data');
// The importer and the server get the same environment, so they open the same library: the
// SQLite file in DATA_DIR (a DATABASE_URL or IMPORT_ROOTS from the caller's shell would point
// them elsewhere).
const env = { ...process.env, DATA_DIR: dataDir };
delete env.DATABASE_URL;
delete env.IMPORT_ROOTS;
let server;
let base;
const cleanup = () => {
  server?.kill('SIGTERM');
  if (keep) console.error(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
};
const startServer = async () => {
  // A free port now rather than at the start: an import of 100,000 files takes many minutes.
  const port = await new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve'], { env: { ...env, PORT: String(port), ADDR: `127.0.0.1:${port}` }, stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const count = async (query) => (await (await fetch(`${base}/api/v1/samples?${query}limit=1`)).json()).total;
try {
  // Distinct short sounds: a decaying tone whose pitch and length depend on the index. The phase
  // offset (i radians) keeps every file distinct (checked for the first 100,000), so the
  // content-hash dedupe keeps all N.
  const tone = (i) => {
    const n = 2205 + (i % 50) * 40;
    const f = 60 + (i % 997);
    const s = new Float32Array(n);
    for (let k = 0; k < n; k++) s[k] = 0.8 * Math.sin((2 * Math.PI * f * k) / 44100 + i) * Math.exp(-k / 3000);
    return wav16(s);
  };
  const words = ['kick', 'snare', 'dusty', 'lofi', 'boom', 'vinyl', 'perc', 'keys', 'bass', 'vox'];
  const name = (k) => `${words[k % 10]}_${words[(k >> 3) % 10]}_${k}.wav`;
  load('seedStart');
  const t0 = Date.now();
  if (seed === 'import') {
    // Into the default import root (DATA_DIR/import), as a user would drop a pack there.
    const pack = join(dataDir, 'import', 'perf');
    mkdirSync(pack, { recursive: true });
    for (let k = 0; k < N; k++) writeFileSync(join(pack, name(k)), tone(k));
    out.writeFilesSeconds = (Date.now() - t0) / 1000;
    // Its summary line goes to stderr so that stdout stays the JSON below.
    execFileSync(bin, ['import', pack], { env, stdio: ['ignore', 2, 2] });
    out.importSeconds = (Date.now() - t0) / 1000 - out.writeFilesSeconds;
    out.seedSeconds = (Date.now() - t0) / 1000;
    await startServer();
  } else {
    await startServer();
    const PER = 100;
    for (let i = 0; i < N; i += PER) {
      const form = new FormData();
      for (let k = i; k < Math.min(N, i + PER); k++) {
        form.append('file', new Blob([tone(k)], { type: 'audio/wav' }), name(k));
      }
      const r = await fetch(`${base}/api/v1/samples`, { method: 'POST', body: form });
      if (!r.ok) throw new Error(`seed: ${r.status} ${await r.text()}`);
    }
    out.seedSeconds = (Date.now() - t0) / 1000;
  }
  // Wait for analysis so rows show their final state; give up only after 2 minutes without progress.
  for (let last = Infinity, still = 0; ; ) {
    const left = (await count('analysis_state=pending&')) + (await count('analysis_state=analyzing&'));
    if (left === 0) break;
    still = left < last ? 0 : still + 1;
    if (still > 240) throw new Error(`analysis stalled with ${left} samples left`);
    last = left;
    await new Promise((r) => setTimeout(r, 500));
  }
  out.seedAndAnalyseSeconds = (Date.now() - t0) / 1000;
  out.samples = await count('');
  out.analysisFailed = await count('analysis_state=failed&');
  if (out.samples !== N) throw new Error(`library holds ${out.samples} samples, want ${N}`);
  load('seedEnd');

  // 3. The library page in Chromium.
  const ctx = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  // Waveform requests per load: batched (GET /api/v1/waveforms?ids=…) and row by row.
  const waveformRequests = { batched: 0, single: 0, ids: 0 };
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/waveforms') {
      waveformRequests.batched++;
      waveformRequests.ids += (u.searchParams.get('ids') ?? '').split(',').length;
    } else if (/^\/api\/v1\/samples\/\d+\/waveform$/.test(u.pathname)) waveformRequests.single++;
  });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });

  load('pageStart');
  const runs = [];
  const perLoad = [];
  for (let r = 0; r < 5; r++) {
    Object.assign(waveformRequests, { batched: 0, single: 0, ids: 0 });
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    // Rows drawn with their peaks (a row's canvas is there before its peaks arrive).
    await page.waitForFunction(() => document.querySelectorAll('[role=row] [data-peaks=loaded] canvas').length > 5, null, { polling: 'raf', timeout: 30_000 });
    const firstRows = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1500);
    const m = await page.evaluate((firstRows) => {
      const nav = performance.getEntriesByType('navigation')[0];
      const lastLong = window.__longTasks.reduce((t, [s, d]) => Math.max(t, s + d), 0);
      return {
        domContentLoaded: nav.domContentLoadedEventEnd,
        rowsWithWaveforms: firstRows,
        tti: Math.max(firstRows, lastLong),
        longTasks: window.__longTasks.length,
        rowsInDom: document.querySelectorAll('[role=row][data-sample-id]').length,
      };
    }, firstRows);
    runs.push(m);
    perLoad.push({ ...waveformRequests });
  }
  const med = (k) => {
    const v = runs.map((x) => x[k]).sort((a, b) => a - b);
    return Math.round(v[Math.floor(v.length / 2)]);
  };
  out.libraryPage = {
    domContentLoadedMs: med('domContentLoaded'), rowsWithWaveformsMs: med('rowsWithWaveforms'), ttiMs: med('tti'),
    longTasks: med('longTasks'), rowsInDom: med('rowsInDom'), waveformRequestsPerLoad: perLoad,
  };

  // Scrolled to the middle: the DOM keeps a window of rows, the page fetches only the pages shown.
  await page.evaluate(() => {
    const s = document.querySelector('[data-testid=library-scroller]');
    s.scrollTop = s.scrollHeight / 2;
  });
  await page.waitForFunction(() => document.querySelectorAll('[role=row][data-sample-id]').length > 5, null, { timeout: 10_000 });
  await page.waitForTimeout(800);
  out.libraryPage.rowsInDomMidScroll = await page.evaluate(() => document.querySelectorAll('[role=row][data-sample-id]').length);
  out.libraryPage.firstRowIdMidScroll = await page.evaluate(() => document.querySelector('[role=row][data-sample-id]')?.getAttribute('data-sample-id'));
  out.libraryPage.maxRowsDuringScroll = await page.evaluate(async () => {
    const s = document.querySelector('[data-testid=library-scroller]');
    let max = 0;
    for (let i = 0; i < 60; i++) {
      s.scrollTop = Math.random() * s.scrollHeight;
      await new Promise((r) => requestAnimationFrame(r));
      max = Math.max(max, document.querySelectorAll('[role=row]').length);
    }
    return max;
  });

  // 4. Key press → `playing`, for samples played once before (in the browser's cache) and fresh ones.
  await page.goto(`${base}/`);
  await page.waitForSelector('[role=row][data-sample-id]');
  await page.evaluate(() => {
    window.__lat = [];
    let t = 0;
    window.addEventListener('keydown', (e) => { t = e.timeStamp; }, { capture: true });
    document.querySelector('audio').addEventListener('playing', () => window.__lat.push(performance.now() - t));
  });
  const press = async (key) => {
    const before = await page.evaluate(() => window.__lat.length);
    await page.keyboard.press(key);
    await page.waitForFunction((n) => window.__lat.length > n, before, { timeout: 10_000 });
    await page.waitForTimeout(150);
  };
  for (let i = 0; i < 10; i++) await press('ArrowDown'); // first plays: not cached
  const fresh = await page.evaluate(() => window.__lat.splice(0));
  for (let i = 0; i < 9; i++) await press('ArrowUp'); // back over the same ten: cached
  for (let i = 0; i < 9; i++) await press('ArrowDown');
  const cached = await page.evaluate(() => window.__lat.splice(0));
  for (let i = 0; i < 10; i++) await press('ArrowRight'); // replay of the loaded sample
  const replay = await page.evaluate(() => window.__lat.splice(0));
  const stats = (a) => {
    const s = [...a].sort((x, y) => x - y);
    return { n: s.length, median: +s[Math.floor(s.length / 2)].toFixed(1), max: +s[s.length - 1].toFixed(1) };
  };
  out.keyToSoundMs = { uncached: stats(fresh), cached: stats(cached), replay: stats(replay) };
  out.consoleErrors = errors;
  load('end');
  await ctx.close();
} finally {
  cleanup();
}
console.log(JSON.stringify(out, null, 2));
