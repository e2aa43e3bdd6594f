// End-to-end test: the real Go binary with the built UI embedded, driven through Debian's Chromium.
// Run with `node --test e2e/` after `npm run build` (make -C web test does both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chord, drumLoop, kick, wav16 } from './wav.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');
const results = join(web, 'test-results');
const shots = join(repo, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let tmp, bin, base, context, page;
const servers = [];
const problems = [];
// Browser errors a step provokes on purpose (Chromium logs every 4xx resource); each is used once.
const allowed = [];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** startServer runs the binary on a free port with its own data folder and extra environment. */
async function startServer(bin, dataName, env) {
  const port = await freePort();
  const srv = { base: `http://127.0.0.1:${port}`, log: '' };
  srv.proc = spawn(bin, ['serve'], {
    env: { ...process.env, DATA_DIR: join(tmp, dataName), PORT: String(port), ADDR: `127.0.0.1:${port}`, WORKERS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  srv.proc.stdout.on('data', (d) => (srv.log += d));
  srv.proc.stderr.on('data', (d) => (srv.log += d));
  servers.push(srv);
  await waitHealthy(`${srv.base}/health`, 30_000, srv);
  return srv;
}

async function waitHealthy(url, ms, srv) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`server did not become healthy in ${ms} ms:\n${srv.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(path, init) {
  const r = await fetch(base + path, init);
  assert.ok(r.ok, `${init?.method ?? 'GET'} ${path}: ${r.status} ${await r.clone().text()}`);
  return r.status === 204 ? null : r.json();
}

/** visit goes to a path, waits for the app to settle and records a screenshot. */
async function shot(name) {
  await page.screenshot({ path: join(results, `${name}.png`) });
}

function assertClean(where) {
  assert.deepEqual(problems, [], `browser console errors or page errors on ${where}`);
}

before(async () => {
  assert.ok(existsSync(join(web, 'dist', 'index.html')), 'web/dist is not built: run `npm run build` first');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  tmp = mkdtempSync(join(tmpdir(), 'sp404-e2e-'));
  mkdirSync(results, { recursive: true });
  bin = join(tmp, 'sp404agent');
  execFileSync('go', ['build', '-o', bin, './cmd/sp404agent'], { cwd: repo, stdio: 'inherit' });
  ({ base } = await startServer(bin, 'data', {}));

  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const i = allowed.findIndex((re) => re.test(m.text()));
    if (i >= 0) allowed.splice(i, 1);
    else problems.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message} (${page.url()})`));
});

after(async () => {
  await context?.close().catch(() => {});
  for (const { proc } of servers) {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('upload, browse, filter, audition and edit a sample in the real app', async (t) => {
  // Steps build on one another: after a failure the rest are skipped rather than piling up timeouts.
  let broken = false;
  const step = (name, fn) =>
    t.test(name, { skip: broken && 'an earlier step failed' }, async () => {
      try {
        await fn();
      } catch (e) {
        broken = true;
        throw e;
      }
    });

  const files = {
    'e2e_kick.wav': wav16(kick(0.5)),
    'e2e_loop_120.wav': wav16(drumLoop(120, 4)),
    'e2e_pad_a_minor.wav': wav16(chord([220, 261.63, 329.63], 3)),
  };
  const paths = Object.entries(files).map(([name, data]) => {
    const p = join(tmp, name);
    writeFileSync(p, data);
    return p;
  });

  await step('the Upload page sends each file and reports it added', async () => {
    await page.goto(`${base}/upload`);
    await page.getByRole('heading', { name: 'Upload' }).waitFor();
    await page.getByTestId('file-input').setInputFiles(paths);
    await page.getByTestId('upload-summary').filter({ hasText: '3 added' }).waitFor();
    assert.equal(await page.locator('li[data-status="added"]').count(), 3);
    // A file that is not audio comes back rejected with the server's explanation.
    const bad = join(tmp, 'notes.wav');
    writeFileSync(bad, 'these are words, not audio');
    allowed.push(/status of 415/);
    await page.getByTestId('file-input').setInputFiles([bad]);
    const rejected = page.locator('li[data-status="rejected"]');
    await rejected.waitFor();
    const text = await rejected.textContent();
    assert.match(text, /notes\.wav/);
    assert.match(text, /Rejected: \S+/);
    assert.match(text, /is not WAV, AIFF, MP3, FLAC or Ogg Vorbis audio/);
    await shot('upload');
    assertClean('/upload');
  });

  await step('the library lists the samples once analysed, with BPM and category', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.waitForURL(`${base}/`);
    await page.locator('[role=row][data-sample-id]').nth(2).waitFor();
    // Rows refresh themselves until analysis is done: no spinner left, values filled in.
    await page.waitForFunction(() => document.querySelectorAll('[role=row] [data-state]').length === 0, null, { timeout: 30_000 });
    const loop = page.locator('[role=row]', { hasText: 'e2e_loop_120.wav' });
    await loop.locator('[data-col=bpm]', { hasText: '120' }).waitFor();
    assert.equal((await loop.locator('[data-col=category]').textContent())?.trim(), 'drums');
    const kickRow = page.locator('[role=row]', { hasText: 'e2e_kick.wav' });
    assert.equal((await kickRow.locator('[data-col=category]').textContent())?.trim(), 'kick');
    // Row waveforms are drawn from server peaks on canvases.
    await page.waitForFunction(() => document.querySelectorAll('[role=row] canvas').length === 3);
    await shot('library');
    assertClean('/');
  });

  await step('a text filter narrows the list and lives in the URL', async () => {
    await page.getByLabel('Search names, tags and categories').fill('loop');
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === 'loop');
    await page.waitForFunction(() => document.querySelectorAll('[role=row][data-sample-id]').length === 1);
    assert.match(await page.locator('[role=row][data-sample-id]').textContent(), /e2e_loop_120\.wav/);
    // Reloading the URL restores the filter.
    await page.reload();
    assert.equal(await page.getByLabel('Search names, tags and categories').inputValue(), 'loop');
    await page.waitForFunction(() => document.querySelectorAll('[role=row][data-sample-id]').length === 1);
    await page.getByLabel('Search names, tags and categories').fill('');
    await page.waitForURL((u) => !new URL(u).searchParams.has('q'));
    await page.waitForFunction(() => document.querySelectorAll('[role=row][data-sample-id]').length === 3);
    // A column header sorts and records the sort in the URL.
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL((u) => new URL(u).searchParams.get('sort') === 'name');
    await page.waitForFunction(() => document.querySelector('[role=row][data-sample-id]')?.textContent?.includes('e2e_kick.wav'));
    assertClean('/?sort=name');
  });

  await step('arrow keys select and play through the one audio element', async () => {
    await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    const ids = await page.locator('[role=row][data-sample-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sample-id')));
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((id) => {
      const a = document.querySelectorAll('audio');
      return a.length === 1 && a[0].src.endsWith(`/api/v1/samples/${id}/audio`) && !a[0].paused && a[0].currentTime > 0;
    }, ids[0]);
    assert.equal(await page.locator('[role=row][aria-selected=true]').getAttribute('data-sample-id'), ids[0]);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((id) => {
      const a = document.querySelectorAll('audio');
      return a.length === 1 && a[0].src.endsWith(`/api/v1/samples/${id}/audio`) && !a[0].paused;
    }, ids[1]);
    // The playhead moves over the selected row's waveform.
    await page.waitForFunction(() => {
      const ph = document.querySelector('[role=row][aria-selected=true] [data-playhead]');
      return ph instanceof HTMLElement && ph.style.opacity === '1' && parseFloat(ph.style.left) > 0;
    });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('audio')?.paused === true);
    // F toggles the favourite on the server.
    await page.keyboard.press('f');
    await page.locator(`[role=row][data-sample-id="${ids[1]}"] button[aria-pressed=true]`).waitFor();
    assert.equal((await api(`/api/v1/samples/${ids[1]}`)).favorite, true);
    assertClean('/ (audition)');
  });

  await step('the detail page shows the analysis and saves tag edits', async () => {
    await page.getByRole('link', { name: 'e2e_loop_120.wav' }).click();
    await page.waitForURL(/\/samples\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('analysis').filter({ hasText: 'drums' }).waitFor();
    await page.getByRole('img', { name: /Waveform of e2e_loop_120\.wav/ }).locator('canvas').waitFor();
    const tags = page.getByLabel('Add tags');
    await tags.fill('dusty');
    await tags.press('Enter');
    await tags.fill('boom bap');
    await tags.press('Enter');
    await page.getByTestId('tags').getByText('boom bap').waitFor();
    await page.waitForFunction(
      async (id) => (await (await fetch(`/api/v1/samples/${id}`)).json()).tags?.length === 2,
      id,
    );
    assert.deepEqual((await api(`/api/v1/samples/${id}`)).tags.sort(), ['boom bap', 'dusty']);
    // Remove one again.
    await page.getByRole('button', { name: 'Remove tag dusty' }).click();
    await page.waitForFunction(async (id) => (await (await fetch(`/api/v1/samples/${id}`)).json()).tags?.length === 1, id);
    await page.getByTestId('tags').getByText('dusty').waitFor({ state: 'detached' });
    // BPM correction: half time, recorded as the user's.
    await page.getByRole('button', { name: '½×' }).click();
    await page.getByTestId('analysis').filter({ hasText: /BPM\s*60/ }).waitFor();
    const halved = await api(`/api/v1/samples/${id}`);
    assert.equal(halved.bpm, 60);
    assert.equal(halved.bpm_source, 'user');
    await shot('sample-detail');
    assertClean(`/samples/${id}`);
  });

  await step('files dropped on the library are uploaded and listed', async () => {
    await page.goto(`${base}/`);
    await page.locator('[role=row][data-sample-id]').nth(2).waitFor();
    const bytes = [...wav16(kick(0.25))];
    await page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'e2e_dropped_kick.wav', { type: 'audio/wav' }));
      const target = document.querySelector('[data-testid=library-scroller]');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    }, bytes);
    await page.locator('[role=row]', { hasText: 'e2e_dropped_kick.wav' }).waitFor();
    await page.getByTestId('total').filter({ hasText: '4 samples' }).waitFor();
    assertClean('/ (drop)');
  });

  await step('deleting a sample asks first, then removes it', async () => {
    await page.getByRole('link', { name: 'e2e_dropped_kick.wav' }).click();
    await page.waitForURL(/\/samples\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByText('Delete “e2e_dropped_kick.wav” from the library?').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(`${base}/`);
    await page.getByTestId('total').filter({ hasText: '3 samples' }).waitFor();
    assert.equal((await fetch(`${base}/api/v1/samples/${id}`)).status, 404);
    assertClean('/ (after delete)');
  });

  await step('an unknown sample id shows a not-found page, asked once', async () => {
    allowed.push(/status of 404/);
    await page.goto(`${base}/samples/999999`);
    await page.getByText('There is no sample with this id.').waitFor();
    await page.waitForTimeout(300);
    assert.equal(allowed.length, 0, 'the 404 was expected in the console');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error toast for a page that explains itself');
    assertClean('/samples/999999');
  });

  await step('the library fits a phone screen in the dark theme', async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${base}/?sort=bpm`);
    await page.locator('[role=row][data-sample-id]').nth(2).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
    await shot('library-phone-dark');
    assertClean('/ (phone)');
  });

  if (broken) return;
  for (const name of ['library', 'sample-detail', 'upload']) {
    mkdirSync(shots, { recursive: true });
    copyFileSync(join(results, `${name}.png`), join(shots, `${name}.png`));
  }
});

test('with AUTH_PASSWORD set the app asks for it, and writes carry the CSRF token', async () => {
  const { base: authBase } = await startServer(bin, 'data-auth', { AUTH_PASSWORD: 'e2e-secret' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${authBase}/`);
  const pw = page.getByLabel('Password');
  await pw.fill('not-it');
  allowed.push(/status of 401/);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong password' }).waitFor();
  await pw.fill('e2e-secret');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Your library is empty').waitFor();
  // An upload (XHR, multipart) and a PATCH (fetch) are both writes made with the session cookie.
  const p = join(tmp, 'auth_kick.wav');
  writeFileSync(p, wav16(kick(0.3)));
  await page.goto(`${authBase}/upload`);
  await page.getByTestId('file-input').setInputFiles([p]);
  await page.locator('li[data-status="added"]').waitFor();
  await page.goto(`${authBase}/`);
  await page.getByRole('button', { name: 'Favourite auth_kick.wav' }).click();
  await page.getByRole('button', { name: 'Unfavourite auth_kick.wav' }).waitFor();
  // Without credentials the API refuses.
  assert.equal((await fetch(`${authBase}/api/v1/samples`)).status, 401);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Password').waitFor();
  assert.deepEqual(allowed, []);
  assertClean('the login flow');
});
