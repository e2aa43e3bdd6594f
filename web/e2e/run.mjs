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
import { aiff16, chord, drumLoop, kick, wav16 } from './wav.mjs';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');
const results = join(web, 'test-results');
const shots = join(repo, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let tmp, bin, base, context, page;
const servers = [];
const problems = [];
// Every API request the page makes (method and path with query), for checks on how it asks.
const requests = [];
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

/**
 * noVibeYet tells the console check that the sample page about to open will ask for a vibe the
 * sample does not have yet: Chromium logs that 404 as an error.
 */
async function noVibeYet(id) {
  if ((await fetch(`${base}/api/v1/samples/${id}/vibe`)).status === 404) allowed.push(/status of 404/);
}

/** expectedLogged waits until every error the step announced in `allowed` has been logged. */
async function expectedLogged() {
  const end = Date.now() + 5000;
  while (allowed.length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(allowed, [], 'the expected console errors were logged');
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
    else problems.push(`console: ${m.text()} (${m.location()?.url || 'no resource'} on ${page.url()})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message} (${page.url()})`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) requests.push(`${r.method()} ${u.pathname}${decodeURIComponent(u.search)}`);
  });
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
    const drawn = () => page.waitForFunction(() => document.querySelectorAll('[role=row] [data-peaks=loaded] canvas').length === 3);
    await drawn();
    // Opened afresh, the rows on screen get their peaks in one batched request, none row by row.
    const ids = await page.locator('[role=row][data-sample-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sample-id'))));
    requests.length = 0;
    await page.reload();
    await drawn();
    await page.waitForTimeout(300);
    const batched = requests.filter((r) => r.startsWith('GET /api/v1/waveforms?'));
    assert.deepEqual(batched, [`GET /api/v1/waveforms?ids=${ids.sort((a, b) => a - b).join(',')}`]);
    assert.deepEqual(requests.filter((r) => /\/samples\/\d+\/waveform/.test(r)), [], 'no waveform is fetched row by row');
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
    await page.locator(`[role=row][aria-selected=true][data-sample-id="${ids[1]}"]`).waitFor();
    await page.waitForFunction((id) => {
      const a = document.querySelectorAll('audio');
      return a.length === 1 && a[0].src.endsWith(`/api/v1/samples/${id}/audio`) && !a[0].paused;
    }, ids[1]).catch(async (e) => {
      // Say what the page was doing, so a failure here can be told apart from a slow machine.
      const audio = await page.evaluate(() => [...document.querySelectorAll('audio')].map((a) => ({ src: a.src, paused: a.paused, ended: a.ended, t: a.currentTime, error: a.error?.code ?? null, ready: a.readyState })));
      throw new Error(`${e.message}; audio: ${JSON.stringify(audio)}`);
    });
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
    const link = page.getByRole('link', { name: 'e2e_loop_120.wav' });
    await noVibeYet(Number((await link.getAttribute('href')).split('/').pop()));
    await link.click();
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
    // The big waveform zooms, and a drag selects a region that plays on its own.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByTestId('waveform-zoom').filter({ hasText: '2×' }).waitFor();
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await page.getByTestId('waveform-zoom').filter({ hasText: '1×' }).waitFor();
    const box = await page.getByRole('img', { name: /Waveform of e2e_loop_120\.wav/ }).boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const region = page.getByTestId('waveform-region');
    await region.filter({ hasText: /^Region/ }).waitFor();
    const [from, to] = [Number(await region.getAttribute('data-start')), Number(await region.getAttribute('data-end'))];
    assert.ok(Math.abs(from - 4) < 0.3 && Math.abs(to - 6) < 0.3, `the drag selected ${from}–${to} s of the 8 s loop`);
    await page.getByRole('button', { name: 'Play region' }).click();
    await page.waitForFunction((from) => {
      const a = document.querySelector('audio');
      return a && !a.paused && a.currentTime >= from - 0.05;
    }, from);
    await page.keyboard.press('Escape');
    await region.filter({ hasText: /^Drag across/ }).waitFor();
    await shot('sample-region');
    await expectedLogged();
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
    const link = page.getByRole('link', { name: 'e2e_dropped_kick.wav' });
    await noVibeYet(Number((await link.getAttribute('href')).split('/').pop()));
    await link.click();
    await page.waitForURL(/\/samples\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByText('Delete “e2e_dropped_kick.wav” from the library?').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(`${base}/`);
    await page.getByTestId('total').filter({ hasText: '3 samples' }).waitFor();
    assert.equal((await fetch(`${base}/api/v1/samples/${id}`)).status, 404);
    await expectedLogged();
    assertClean('/ (after delete)');
  });

  await step('ticked rows are tagged in bulk and built into a kit', async () => {
    const boxes = page.getByRole('checkbox', { name: /^Select / });
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await page.getByTestId('marked-count').filter({ hasText: '3 samples selected' }).waitFor();
    await page.getByLabel('Tag for the selected samples').fill('bulk-e2e');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('status').filter({ hasText: 'Tagged “bulk-e2e” on 3 samples.' }).waitFor();
    const tagged = await api('/api/v1/samples?tag=bulk-e2e&limit=10');
    assert.equal(tagged.total, 3);
    await page.getByLabel('Name of a new kit from the selected samples').fill('From the selection');
    await page.getByRole('button', { name: 'Build kit' }).click();
    await page.waitForURL(/\/kits\/\d+$/);
    const built = await api(`/api/v1/kits/${new URL(page.url()).pathname.split('/').pop()}`);
    assert.equal(built.name, 'From the selection');
    assert.deepEqual(built.pads.map((p) => p.sample_id).sort(), tagged.items.map((s) => s.id).sort());
    await shot('bulk-kit');
    // Leave the library as the later steps expect it (off the kit's page before it goes).
    await page.goto(`${base}/`);
    await page.getByTestId('total').filter({ hasText: '3 samples' }).waitFor();
    // The same three again, onto that kit's free pads.
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await page.getByLabel('Add the selected samples to a kit').selectOption({ label: 'From the selection' });
    await page.getByRole('status').filter({ hasText: 'Put 3 samples on free pads of “From the selection”.' }).waitFor();
    assert.equal((await api(`/api/v1/kits/${built.id}`)).pads.length, 6);
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await api(`/api/v1/kits/${built.id}`, { method: 'DELETE' });
    await api('/api/v1/samples/bulk', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sample_ids: tagged.items.map((s) => s.id), remove_tags: ['bulk-e2e'] }),
    });
    assertClean('/ (bulk actions)');
  });

  await step('the library shows as a card grid too, and plays from it', async () => {
    await page.getByRole('button', { name: 'Cards' }).click();
    const cards = page.getByRole('list', { name: 'Samples' }).getByRole('listitem');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 3);
    const name = (await cards.first().getByRole('link').textContent()).trim();
    await cards.first().getByRole('button', { name: `Play ${name}` }).click();
    await cards.first().getByRole('button', { name: `Pause ${name}` }).waitFor();
    await page.keyboard.press('Escape');
    await shot('library-cards');
    await page.getByRole('button', { name: 'Table' }).click();
    await page.getByRole('table', { name: 'Samples' }).waitFor();
    assertClean('/ (cards)');
  });

  let kitId;
  const kitApi = () => api(`/api/v1/kits/${kitId}`);
  const padOf = (kit, label) => kit.pads?.find((p) => `${p.bank}${p.pad}` === label);
  /** drag moves the mouse from one element to another in small steps, as a hand would. */
  async function drag(from, to) {
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 5, { steps: 3 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await page.mouse.up();
  }

  await step('a kit is created from the Kits page and laid out like the MKII', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Kits' }).click();
    await page.getByRole('heading', { name: 'Kits' }).waitFor();
    await page.getByText('No kits yet').waitFor();
    const form = page.getByRole('form', { name: 'New kit' });
    await form.getByLabel('Name').fill('E2E Kit');
    await form.getByLabel('BPM').fill('94');
    await form.getByRole('button', { name: 'Create kit' }).click();
    await page.waitForURL(/\/kits\/\d+$/);
    kitId = Number(new URL(page.url()).pathname.split('/').pop());
    const kit = await kitApi();
    assert.equal(kit.name, 'E2E Kit');
    assert.equal(kit.device, 'mk2');
    assert.equal(kit.bpm, 94);
    // Pad 13 top-left, pad 1 bottom-left, pad 16 top-right: the numbers printed on the device.
    await page.locator('[data-pad=A4]').waitFor();
    const order = await page.locator('[data-testid=pad-grid] [data-pad]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pad')));
    assert.deepEqual(order, ['A13', 'A14', 'A15', 'A16', 'A9', 'A10', 'A11', 'A12', 'A5', 'A6', 'A7', 'A8', 'A1', 'A2', 'A3', 'A4']);
    const a1 = await page.locator('[data-pad=A1]').boundingBox();
    const a13 = await page.locator('[data-pad=A13]').boundingBox();
    assert.ok(a1.y > a13.y && Math.abs(a1.x - a13.x) < 2, 'pad 1 sits under pad 13');
    assert.equal(await page.getByRole('tab').count(), 10);
    assertClean(`/kits/${kitId}`);
  });

  await step('samples are dragged onto pads, moved with the keyboard, and swapped on a filled pad', async () => {
    const lib = page.getByRole('complementary', { name: 'Library' });
    const kickDrag = lib.locator('[data-testid=library-drag]', { hasText: 'e2e_kick.wav' });
    await kickDrag.waitFor();
    await drag(kickDrag, page.locator('[data-pad=A1]'));
    await page.locator('[data-pad=A1][data-filled=true]').waitFor();
    const kickId = padOf(await kitApi(), 'A1')?.sample_id;
    assert.ok(kickId, 'pad A1 holds the kick on the server');
    // Keyboard: space picks the pad up, an arrow moves one pad right, space drops it.
    await page.locator('[data-pad=A1]').focus();
    // dnd-kit's live region tells screen readers what the drag is doing.
    const announced = (re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[id^=DndLiveRegion]')?.textContent ?? ''), re.source);
    await page.keyboard.press('Space');
    await announced(/(Picked up|over) pad A1/);
    // The sensor starts listening for arrows on the next tick, as it would for a person.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    await page.keyboard.press('ArrowRight');
    await announced(/is over pad A2/);
    await page.keyboard.press('Space');
    await page.locator('[data-pad=A2][data-filled=true]').waitFor();
    await page.locator('[data-pad=A1][data-filled=false]').waitFor();
    assert.equal(padOf(await kitApi(), 'A2')?.sample_id, kickId);
    // The library's "→ pad" button fills the selected pad.
    await page.locator('[data-pad=A1]').click();
    await lib.locator('li', { hasText: 'e2e_loop_120.wav' }).getByRole('button', { name: '→ A1' }).click();
    await page.locator('[data-pad=A1][data-filled=true]').waitFor();
    // Dropping on a filled pad asks before swapping.
    allowed.push(/status of 409/);
    await drag(page.locator('[data-pad=A2]'), page.locator('[data-pad=A1]'));
    const dialog = page.getByRole('alertdialog', { name: 'Pad is filled' });
    await dialog.getByText('Swap it with A2?').waitFor();
    await dialog.getByRole('button', { name: 'Swap' }).click();
    await page.waitForFunction(() => document.querySelector('[data-pad=A1]')?.getAttribute('aria-label')?.includes('e2e_kick.wav'));
    const kit = await kitApi();
    assert.equal(padOf(kit, 'A1')?.sample_id, kickId);
    assert.match(padOf(kit, 'A2')?.sample_name ?? '', /e2e_loop_120/);
    assert.equal(allowed.length, 0, 'the move answered 409 first');
    assertClean('/kits (drag and drop)');
  });

  await step('clicking a pad auditions it and the inspector saves its settings', async () => {
    const kickId = padOf(await kitApi(), 'A1').sample_id;
    await page.locator('[data-pad=A1]').click();
    await page.waitForFunction((id) => {
      const a = document.querySelectorAll('audio');
      return a.length === 1 && a[0].src.endsWith(`/api/v1/samples/${id}/audio`) && !a[0].paused;
    }, kickId);
    const form = page.getByRole('form', { name: 'Settings of pad A1' });
    await form.getByLabel('Level').fill('100');
    await form.getByLabel('Pitch').fill('2');
    await form.getByLabel('Play mode').selectOption('reverse');
    await form.getByLabel('Loop').check();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForFunction(
      async (id) => (await (await fetch(`/api/v1/kits/${id}`)).json()).pads?.find((p) => p.bank === 'A' && p.pad === 1)?.settings.level === 100,
      kitId,
    );
    const s = padOf(await kitApi(), 'A1').settings;
    assert.equal(s.pitch, 2);
    assert.equal(s.play_mode, 'reverse');
    assert.equal(s.loop, true);
    // An out-of-range value is refused before it is sent.
    await form.getByLabel('Level').fill('200');
    await form.getByText('Level must be 0–127.').waitFor();
    assert.equal(await form.getByRole('button', { name: 'Save settings' }).isDisabled(), true);
    await form.getByRole('button', { name: 'Revert' }).click();
    // Bank volume and the kit's tempo.
    const vol = page.getByLabel('Bank A volume');
    await vol.fill('100');
    await vol.press('Enter');
    const bpm = page.getByLabel('Kit BPM');
    await bpm.fill('96');
    await bpm.press('Enter');
    await page.waitForFunction(async (id) => {
      const k = await (await fetch(`/api/v1/kits/${id}`)).json();
      return k.bpm === 96 && k.bank_volumes[0] === 100;
    }, kitId);
    assertClean('/kits (inspector)');
  });

  await step('a dry run shows the export plan, then the export runs and its ZIP downloads', async () => {
    const panel = page.getByRole('region', { name: 'Export' });
    await panel.getByLabel(/MKII import folder/).check();
    await panel.getByRole('button', { name: 'Dry run' }).click();
    const plan = panel.getByTestId('export-plan');
    await plan.waitFor();
    assert.match(await plan.textContent(), /A01_/);
    assert.match(await plan.textContent(), /A02_/);
    assert.equal(await panel.getByTestId('export-progress').count(), 0, 'a dry run exports nothing');
    await panel.getByRole('button', { name: 'Export', exact: true }).click();
    await panel.locator('[data-testid=export-progress][data-state=done]').waitFor({ timeout: 30_000 });
    const href = await panel.getByRole('link', { name: /Download ZIP/ }).getAttribute('href');
    assert.match(href, /^\/api\/v1\/exports\/\d+\/download$/);
    const r = await fetch(base + href);
    assert.equal(r.status, 200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    assert.ok(bytes.length > 1000, 'the ZIP holds the audio');
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'the download is a ZIP');
    await page.locator('[data-pad=A1]').click();
    await page.evaluate(() => {
      document.querySelector('audio')?.pause();
      document.querySelector('[data-testid=kit-page]')?.scrollTo(0, 0);
    });
    await shot('kit');
    assertClean('/kits (export)');
  });

  await step('a sample page lists similar sounds and its kits, and runs the vibe to complete', async () => {
    const loop = (await api('/api/v1/samples?q=e2e_loop_120')).items[0];
    await noVibeYet(loop.id);
    await page.goto(`${base}/samples/${loop.id}`);
    // Similar: playable rows linking to their pages, for each aspect.
    const similar = page.getByRole('region', { name: 'Similar' });
    const rows = similar.locator('[data-testid=similar] li');
    await rows.first().waitFor();
    const expected = (await api(`/api/v1/samples/${loop.id}/similar?aspect=overall&limit=10`)).items;
    assert.ok(expected.length > 0, 'the server finds similar samples');
    assert.equal(await rows.count(), expected.length);
    assert.ok(!(await similar.textContent()).includes('e2e_loop_120.wav'), 'a sample is not similar to itself');
    const first = expected[0].sample;
    await similar.getByRole('button', { name: `Play ${first.file_name}` }).click();
    await page.waitForFunction((id) => {
      const a = document.querySelector('audio');
      return a?.src.endsWith(`/api/v1/samples/${id}/audio`) && !a.paused;
    }, first.id);
    await similar.getByRole('button', { name: `Pause ${first.file_name}` }).click();
    await page.waitForFunction(() => document.querySelector('audio')?.paused === true);
    await similar.getByLabel('Similar by').selectOption('rhythm');
    const rhythm = (await api(`/api/v1/samples/${loop.id}/similar?aspect=rhythm&limit=10`)).items;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=similar] li').length === n, rhythm.length);
    // Used in kits: the loop sits on pad A2 of the E2E kit.
    const kits = page.getByRole('region', { name: 'Used in kits' });
    await kits.getByText('pad A2').waitFor();
    assert.equal(await kits.getByRole('link', { name: 'E2E Kit' }).getAttribute('href'), `/kits/${kitId}`);
    // Vibe: no key on this server, so the offline rules answer; the socket still reaches complete.
    const vibe = page.getByRole('region', { name: 'Vibe' });
    await vibe.getByText('No vibe yet.').waitFor();
    await vibe.getByRole('button', { name: 'Analyse vibe' }).click();
    await vibe.locator('[data-testid=vibe-card][data-phase=complete]').waitFor({ timeout: 30_000 });
    await vibe.getByRole('status').filter({ hasText: 'Vibe ready.' }).waitFor();
    assert.match(await vibe.getByTestId('vibe-steps').textContent(), /Offline vibe from the analysis/);
    const stored = await api(`/api/v1/samples/${loop.id}/vibe`);
    assert.ok(stored.vibe.mood_primary, 'the vibe was saved');
    await vibe.getByTestId('vibe').getByText(stored.vibe.mood_primary, { exact: true }).waitFor();
    await vibe.getByRole('meter', { name: 'Energy' }).waitFor();
    await expectedLogged();
    await shot('sample-detail');
    // Reopened, the page shows the stored vibe straight away (and asks without a 404).
    await page.reload();
    await vibe.getByTestId('vibe').getByText(stored.vibe.mood_primary, { exact: true }).waitFor();
    await vibe.getByRole('button', { name: 'Re-run vibe' }).waitFor();
    // A similar sample's link opens its page.
    await similar.getByRole('link', { name: first.file_name }).waitFor();
    assert.equal(await similar.getByRole('link', { name: first.file_name }).getAttribute('href'), `/samples/${first.id}`);
    await noVibeYet(first.id);
    await similar.getByRole('link', { name: first.file_name }).click();
    await page.waitForURL(`${base}/samples/${first.id}`);
    await page.getByRole('heading', { name: first.file_name }).waitFor();
    await expectedLogged();
    assertClean(`/samples/${loop.id} (similar, kits, vibe)`);
  });

  await step('a server folder is imported with live progress over the socket, failures explained', async () => {
    const crate = join(tmp, 'data', 'import', 'e2e_crate');
    mkdirSync(join(crate, 'drums'), { recursive: true });
    writeFileSync(join(crate, 'drums', 'e2e_import_kick.wav'), wav16(kick(0.3)));
    writeFileSync(join(crate, 'e2e_import_pad.wav'), wav16(chord([196, 246.94, 293.66], 1)));
    writeFileSync(join(crate, 'e2e_import_broken.wav'), 'RIFF but not really audio');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { name: 'Imports', exact: true }).waitFor();
    const form = page.getByRole('form', { name: 'Import a folder' });
    // A folder outside the import roots is refused with the roots named.
    allowed.push(/status of 422/);
    await form.getByLabel('Server folder').fill(tmp);
    await form.getByRole('button', { name: 'Start import' }).click();
    await form.getByRole('alert').filter({ hasText: join(tmp, 'data', 'import') }).waitFor();
    await form.getByLabel('Server folder').fill(crate);
    await form.getByLabel('Tags (comma-separated)').fill('e2e crate');
    await form.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/\/imports\?batch=\d+$/);
    const id = Number(new URL(page.url()).searchParams.get('batch'));
    // data-complete turns true only on the socket's {"type":"complete"}.
    const batch = page.locator('[data-testid=batch][data-complete=true]');
    await batch.waitFor({ timeout: 30_000 });
    await page.getByTestId('batch-count').filter({ hasText: '3/3' }).waitFor();
    await batch.getByRole('list', { name: 'Failures' }).getByText('e2e_import_broken.wav').waitFor();
    const b = await api(`/api/v1/batches/${id}`);
    assert.equal(b.state, 'done');
    assert.equal(b.added, 2);
    assert.equal(b.skipped, 1);
    assert.equal(b.failures.length, 1);
    assert.ok(b.failures[0].reason, 'the file left out has a reason');
    assert.ok((await batch.getByRole('list', { name: 'Failures' }).textContent()).includes(b.failures[0].reason), 'the reason is shown');
    // Nothing failed outright, so there is nothing to retry.
    assert.equal(await batch.getByRole('button', { name: /Retry/ }).count(), 0);
    await page.getByRole('region', { name: 'Past imports' }).locator(`[data-batch-id="${id}"]`, { hasText: 'done' }).waitFor();
    const added = await api('/api/v1/samples?q=e2e_import');
    assert.equal(added.total, 2);
    assert.ok(added.items.every((s) => s.tags.includes('e2e crate')), 'the import tags each file');
    assert.equal(allowed.length, 0, 'the 422 was expected');
    await shot('imports');
    assertClean('/imports');
  });

  await step('settings save budgets and export defaults; usage shows spend against the budget', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Preferences' });
    await form.getByLabel('Monthly budget (USD)').fill('12.5');
    await form.getByLabel('Target').selectOption('sx');
    await form.getByLabel('Trim silence').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const prefs = await api('/api/v1/preferences');
    assert.equal(prefs.budget_monthly_usd, 12.5);
    assert.equal(prefs.export_target, 'sx');
    assert.equal(prefs.export_trim_silence, true);
    // An empty model name is caught before it is sent.
    await form.getByLabel('Model (OpenRouter id)').fill(' ');
    await form.getByText('Name a model for vibe analysis.').waitFor();
    assert.equal(await form.getByRole('button', { name: 'Save' }).isDisabled(), true);
    await form.getByRole('button', { name: 'Revert' }).click();

    await nav.getByRole('link', { name: 'Usage' }).click();
    await page.getByTestId('meter-This month').filter({ hasText: '$0 of $12.50' }).waitFor();
    await page.getByTestId('meter-Today').filter({ hasText: 'of 100.0k tokens' }).waitFor();
    assert.equal(await page.getByTestId('daily-chart').locator('rect').count(), 30);
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const csv = await fetch(base + href);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(await csv.text(), /^time,model,operation/);
    await shot('usage');
    // The kit export starts from the saved defaults.
    await page.goto(`${base}/kits/${kitId}`);
    const panel = page.getByRole('region', { name: 'Export' });
    await panel.getByLabel(/SX \/ A card/).waitFor();
    assert.equal(await panel.getByLabel(/SX \/ A card/).isChecked(), true);
    assert.equal(await panel.getByLabel('Trim silence').isChecked(), true);
    assertClean('/usage and /settings');
  });

  await step('the dashboard counts the library, lists recent imports and shows the budget', async () => {
    const count = async (q) => (await api(`/api/v1/samples?limit=1${q}`)).total;
    const [total, loops, kicks, done] = [await count(''), await count('&type=loop'), await count('&category=kick'), await count('&analysis_state=done')];
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('stat-Samples').filter({ hasText: new RegExp(`^${total}Samples$`) }).waitFor();
    assert.match(await page.getByTestId('stat-Loops').textContent(), new RegExp(`^${loops}Loops$`));
    assert.match(await page.getByTestId('analysis-states').textContent(), new RegExp(`done${done}`));
    const storage = await api('/api/v1/storage');
    assert.equal(storage.samples, total);
    await page.getByTestId('storage').filter({ hasText: new RegExp(` in ${storage.files} files?`) }).waitFor();
    const chart = page.getByTestId('category-chart');
    assert.match(await chart.locator('[data-category=kick]').textContent(), new RegExp(`${kicks}$`));
    assert.ok((await chart.locator('rect').count()) >= 2, 'one bar per category in use');
    await page.getByTestId('recent-imports').getByRole('link', { name: /e2e_crate$/ }).waitFor();
    await page.getByTestId('budget-This month').filter({ hasText: '$0 of $12.50' }).waitFor();
    // A number opens the library filtered to what it counts.
    await page.getByTestId('stat-Loops').click();
    await page.waitForURL((u) => new URL(u).searchParams.get('type') === 'loop');
    await page.getByTestId('total').filter({ hasText: new RegExp(`^${loops} samples?$`) }).waitFor();
    await page.goBack();
    await page.getByTestId('category-chart').waitFor();
    await shot('dashboard');
    assertClean('/dashboard');
  });

  await step('a smart collection counts its rules live; a nested manual one takes samples by hand', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Collections' }).click();
    const side = page.getByRole('complementary', { name: 'Collections' });
    const create = async (name, kind, parent) => {
      const form = side.getByRole('form', { name: 'New collection' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Kind').selectOption(kind);
      if (parent) await form.getByLabel('Inside').selectOption({ label: parent });
      await form.getByRole('button', { name: 'Create' }).click();
      await page.getByTestId('collection-detail').getByRole('heading', { name }).waitFor();
      return Number(new URL(page.url()).pathname.split('/').pop());
    };
    const smartId = await create('E2E kicks', 'smart');
    const all = (await api('/api/v1/collections/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).total;
    await page.getByTestId('rules-count').filter({ hasText: `${all} matching` }).waitFor();
    await page.getByRole('form', { name: 'Rules' }).getByRole('button', { name: 'kick', exact: true }).click();
    const kicks = (await api('/api/v1/collections/count', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"categories":["kick"]}' })).total;
    assert.ok(kicks >= 1 && kicks < all, `kicks (${kicks}) are some of the ${all} samples`);
    await page.getByTestId('rules-count').filter({ hasText: new RegExp(`^${kicks} matching`) }).waitFor();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByTestId('collection-total').filter({ hasText: new RegExp(`^${kicks}$`) }).waitFor();
    assert.deepEqual((await api(`/api/v1/collections/${smartId}`)).rules.categories, ['kick']);

    const manualId = await create('E2E picks', 'manual', 'E2E kicks');
    assert.equal((await api(`/api/v1/collections/${manualId}`)).parent_id, smartId);
    await page.getByLabel('Find samples to add').fill('e2e_loop');
    await page.getByRole('button', { name: 'Add e2e_loop_120.wav' }).click();
    const inCol = page.getByRole('region', { name: 'Samples in the collection' });
    await inCol.getByRole('link', { name: 'e2e_loop_120.wav' }).waitFor();
    assert.equal((await api(`/api/v1/collections/${manualId}`)).sample_count, 1);
    await inCol.getByRole('button', { name: 'Remove e2e_loop_120.wav' }).click();
    await inCol.getByText('Empty: find samples above').waitFor();
    assert.equal((await api(`/api/v1/collections/${manualId}`)).sample_count, 0);
    assertClean('/collections');

    // The library filters by a collection, a smart one by its rules.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.getByRole('combobox', { name: 'Collection', exact: true }).selectOption({ label: 'E2E kicks (smart)' });
    await page.waitForURL(new RegExp(`collection=${smartId}`));
    await page.getByTestId('total').filter({ hasText: new RegExp(`^${kicks} samples?$`) }).waitFor();
    await page.getByRole('button', { name: /^Clear/ }).click();
    await page.getByTestId('total').filter({ hasText: new RegExp(`^${all} samples?$`) }).waitFor();
    assertClean('/ (collection filter)');
  });

  await step('a pad suggestion is assigned in one click, and a bank is completed from the library', async () => {
    await page.goto(`${base}/kits/${kitId}`);
    // Clear pad A1 (the kick), then take the first kick the server suggests for it.
    await page.locator('[data-pad=A1][data-filled=true]').click();
    await page.getByRole('button', { name: 'Clear pad' }).click();
    await page.locator('[data-pad=A1][data-filled=false]').waitFor();
    assert.equal(padOf(await kitApi(), 'A1'), undefined);
    const recs = page.getByRole('region', { name: 'Recommendations' });
    const first = recs.getByRole('button', { name: /^Assign .* to A1$/ }).first();
    await first.waitFor();
    const name = (await first.getAttribute('aria-label')).replace(/^Assign (.*) to A1$/, '$1');
    assert.match(await recs.locator('li').first().textContent(), /fits the kick pad/, 'a suggestion gives its reasons');
    await first.click();
    await page.waitForFunction((n) => document.querySelector('[data-pad=A1]')?.getAttribute('aria-label') === `Pad A1: ${n}`, name);
    assert.equal(padOf(await kitApi(), 'A1')?.sample_name, name);
    // Asking for another role changes the suggestions.
    await recs.getByLabel('Suggest a role').selectOption('melodic');
    await recs.locator('li', { hasText: 'fits the melodic pad' }).first().waitFor();
    // Complete bank B: the server fills what it can and says what it left empty.
    await page.getByRole('tab', { name: /^B/ }).click();
    await page.locator('[data-pad=B1]').waitFor();
    await page.getByRole('button', { name: 'Complete this bank' }).click();
    const note = page.getByRole('status').filter({ hasText: /Filled B\d|Nothing in the library fits/ });
    await note.waitFor();
    const inB = (await kitApi()).pads.filter((p) => p.bank === 'B').length;
    assert.equal(await page.locator('[data-testid=pad-grid] [data-filled=true]').count(), inB);
    if (/Filled/.test(await note.textContent())) assert.ok(inB > 0);
    assertClean('/kits (suggestions)');
  });

  /** audio reads the one audio element: what it plays, how fast, where it is. */
  const audio = () =>
    page.evaluate(() => {
      const a = document.querySelector('audio');
      return { src: a.src, rate: a.playbackRate, preservesPitch: a.preservesPitch, paused: a.paused, time: a.currentTime };
    });
  const playingAt = (id, rate) =>
    page.waitForFunction(
      ([id, rate]) => {
        const a = document.querySelectorAll('audio');
        return a.length === 1 && a[0].src.endsWith(`/api/v1/samples/${id}/audio`) && Math.abs(a[0].playbackRate - rate) < 1e-9;
      },
      [id, rate],
    );

  await step('kit tempo plays pads and library samples vinyl-style at kit BPM / sample BPM, within 50–150 %', async () => {
    await page.goto(`${base}/kits/${kitId}`);
    const loop = (await api('/api/v1/samples?q=e2e_loop_120')).items.find((s) => s.file_name === 'e2e_loop_120.wav');
    const kick = (await api('/api/v1/samples?q=e2e_kick')).items.find((s) => s.file_name === 'e2e_kick.wav');
    assert.equal(loop.bpm, 60, 'the loop was set to half time on its page');
    assert.equal(kick.bpm, null, 'a kick has no tempo');
    assert.equal(padOf(await kitApi(), 'A2')?.sample_id, loop.id);
    await page.locator('[data-pad=A2][data-filled=true]').waitFor();
    const toggle = page.getByRole('button', { name: 'Play at kit tempo' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    // Off: the loop plays at its own speed.
    await page.locator('[data-pad=A2]').click();
    await playingAt(loop.id, 1);
    // On: the loop in the player follows at once. 96 / 60 asks for 160 %, past the device's 150 %.
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await playingAt(loop.id, 1.5);
    assert.equal((await audio()).preservesPitch, false, 'the pitch follows the speed');
    await page.getByTestId('speed-status').filter({ hasText: "150 %, the device's fastest: 60 → 96 BPM needs 160 %." }).waitFor();
    assert.equal(await page.locator('[data-pad=A2] [data-speed]').textContent(), '150 % max');
    // A sample without a BPM plays at normal speed, and both the panel and the status say so.
    const lib = page.getByRole('complementary', { name: 'Library' });
    const kickItem = lib.locator('li', { hasText: 'e2e_kick.wav' });
    assert.match(await kickItem.locator('[data-speed]').textContent(), /no BPM · 100 %/);
    await kickItem.getByRole('button', { name: 'Play e2e_kick.wav' }).click();
    await playingAt(kick.id, 1);
    await page.getByTestId('speed-status').filter({ hasText: 'No BPM: plays at normal speed.' }).waitFor();
    // At 72 BPM the loop runs at 120 %, from the pad and from the library panel alike.
    const bpm = page.getByLabel('Kit BPM');
    await bpm.fill('72');
    await bpm.press('Enter');
    await page.waitForFunction(async (id) => (await (await fetch(`/api/v1/kits/${id}`)).json()).bpm === 72, kitId);
    await page.locator('[data-pad=A2] [data-speed]', { hasText: '120 %' }).waitFor();
    await page.locator('[data-pad=A2]').click();
    await playingAt(loop.id, 1.2);
    await page.waitForFunction(() => !document.querySelector('audio').paused);
    await page.getByTestId('speed-status').filter({ hasText: '120 %: 60 → 72 BPM, pitch follows.' }).waitFor();
    assert.match(await lib.locator('li', { hasText: 'e2e_loop_120.wav' }).locator('[data-speed]').textContent(), /120 %/);
    // Off again: back to normal speed without restarting.
    await toggle.click();
    await playingAt(loop.id, 1);
    await page.evaluate(() => document.querySelector('audio').pause());
    await bpm.fill('96');
    await bpm.press('Enter');
    await page.waitForFunction(async (id) => (await (await fetch(`/api/v1/kits/${id}`)).json()).bpm === 96, kitId);
    assertClean('/kits (kit tempo)');
  });

  await step('a loop is chopped across pads: the cuts show on its waveform first, then the pads fill and play their slices', async () => {
    const loop = (await api('/api/v1/samples?q=e2e_loop_120')).items.find((s) => s.file_name === 'e2e_loop_120.wav');
    const lib = page.getByRole('complementary', { name: 'Library' });
    const opener = lib.getByRole('button', { name: 'Chop e2e_loop_120.wav' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Chop e2e_loop_120.wav' });
    // At the onsets first: the drum loop's hits are cut points, drawn over its waveform.
    await dialog.getByTestId('cut').first().waitFor();
    await dialog.getByRole('img', { name: /Waveform of e2e_loop_120\.wav/ }).locator('canvas').waitFor();
    assert.ok((await dialog.getByTestId('cut').count()) >= 2, 'the loop has several hits');
    // Four equal parts on bank C from pad 1: cuts at a quarter, half and three quarters.
    await dialog.getByLabel('Into equal parts').check();
    await dialog.getByRole('spinbutton', { name: /^Slices/ }).fill('4');
    await dialog.getByLabel('Bank').selectOption('C');
    await dialog.getByLabel('From pad').selectOption('1');
    await page.waitForFunction(() => document.querySelectorAll('[role=dialog] [data-testid=cut]').length === 3);
    await page.waitForFunction(() => [...document.querySelectorAll('[role=dialog] [data-testid=cut]')].map((e) => e.style.left).join() === '25%,50%,75%');
    await dialog.getByTestId('chop-summary').filter({ hasText: '4 slices on pads C1–C4.' }).waitFor();
    await shot('chop');
    // A slice can be heard before anything changes: slice 2 starts a quarter in.
    await dialog.getByRole('button', { name: /^Play slice 2 / }).click();
    await page.waitForFunction((d) => {
      const a = document.querySelector('audio');
      return !a.paused && a.currentTime >= d / 4 - 0.01 && a.currentTime < d / 2;
    }, loop.duration_s);
    assert.equal((await kitApi()).pads.filter((p) => p.bank === 'C').length, 0, 'nothing is chopped before Apply');
    await dialog.getByRole('button', { name: 'Chop into C1–C4' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The grid turns to bank C with the four slices, and says what happened.
    await page.getByRole('tab', { name: /^C/, selected: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Chopped into 4 slices on C1–C4.' }).waitFor();
    for (const n of [1, 2, 3, 4]) await page.locator(`[data-pad=C${n}][data-filled=true]`).waitFor();
    assert.equal(await page.locator('[data-pad=C5]').getAttribute('data-filled'), 'false');
    await shot('kit-chopped');
    // Each pad holds a slice: a sample of its own that plays a quarter of the loop's file.
    const kit = await kitApi();
    const pads = [1, 2, 3, 4].map((n) => padOf(kit, `C${n}`));
    const slices = await Promise.all(pads.map((p) => api(`/api/v1/samples/${p.sample_id}`)));
    assert.ok(slices.every((s) => s.source_id === loop.id), 'every slice is cut from the loop');
    assert.deepEqual(slices.map((s) => s.region_start_frame), [0, 1, 2, 3].map((i) => Math.floor((loop.frames * i) / 4)));
    assert.deepEqual(slices.map((s) => s.file_name), [1, 2, 3, 4].map((n) => `e2e_loop_120 slice 0${n}.wav`));
    assert.ok(pads.every((p) => p.settings.start_frame === 0 && p.settings.end_frame === 0), 'a slice pad plays its whole slice');
    await page.locator('[data-pad=C2]').filter({ hasText: 'e2e_loop_120 slice 02.wav' }).waitFor();
    // A chopped pad plays its slice: a quarter of the loop long, from its start.
    const quarter = (loop.frames - Math.floor((loop.frames * 3) / 4)) / loop.sample_rate;
    await page.locator('[data-pad=C4]').click();
    await page.waitForFunction(() => !document.querySelector('audio').paused);
    await page.locator('[data-pad=C2]').click();
    // Checked in one go while it plays (the slice lasts half a second): only its pad lights up.
    await page.waitForFunction((d) => {
      const a = document.querySelector('audio');
      const lit = [...document.querySelectorAll('[data-pad][data-playing=true]')].map((e) => e.getAttribute('data-pad')).join();
      return !a.paused && Math.abs(a.duration - d) < 0.01 && a.currentTime < d && lit === 'C2';
    }, quarter);
    await page.waitForFunction(() => document.querySelector('audio').paused, undefined, { timeout: 10_000 });

    // The server's refusals show in the dialog: a kick has no hits to cut at.
    allowed.push(/status of 409/);
    await lib.getByRole('button', { name: 'Chop e2e_kick.wav' }).click();
    const kickDialog = page.getByRole('dialog', { name: 'Chop e2e_kick.wav' });
    await kickDialog.getByRole('alert').filter({ hasText: /too few onsets to chop/ }).waitFor();
    assert.equal(await kickDialog.getByRole('button', { name: /^Chop into/ }).isDisabled(), true);
    // Slices that would run past the bank are refused before anything is sent.
    await kickDialog.getByRole('button', { name: 'Cut into equal parts instead' }).click();
    await kickDialog.getByLabel('From pad').selectOption('14');
    await kickDialog.getByRole('alert').filter({ hasText: 'do not fit a bank of 16 pads' }).waitFor();
    await page.keyboard.press('Escape');
    await kickDialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Chop e2e_kick.wav', 'the focus returns to the button that opened the dialog');
    await expectedLogged();
    assert.equal(requests.filter((r) => r.startsWith('POST /api/v1/samples/') && r.endsWith('/chop')).length, 1, 'only the applied chop was sent');
    assertClean('/kits (chop)');
  });

  await step('an SX kit shows twelve pads, 9–12 on top, and a kit is deleted from the list', async () => {
    const sx = await api('/api/v1/kits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'E2E SX', device: 'sx', bpm: 88 }) });
    await page.goto(`${base}/kits`);
    const row = page.locator(`li[data-kit-id="${sx.id}"]`);
    await row.getByText('SX', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'E2E SX' }).click();
    await page.locator('[data-pad=A12]').waitFor();
    const order = await page.locator('[data-testid=pad-grid] [data-pad]').evaluateAll((els) => els.map((e) => e.getAttribute('data-pad')));
    assert.deepEqual(order, ['A9', 'A10', 'A11', 'A12', 'A5', 'A6', 'A7', 'A8', 'A1', 'A2', 'A3', 'A4']);
    await page.getByRole('link', { name: 'All kits' }).click();
    await page.getByRole('button', { name: 'Delete kit E2E SX' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await fetch(`${base}/api/v1/kits/${sx.id}`)).status, 404);
    assert.ok(await page.locator(`li[data-kit-id="${kitId}"]`).isVisible(), 'the other kit stays');
    assertClean('/kits (SX, delete)');
  });

  await step('the same audio uploaded as WAV and AIFF is found as an exact duplicate and resolved', async () => {
    const audio = chord([311.13, 415.3, 523.25], 1.5);
    const wavPath = join(tmp, 'e2e_dupe.wav');
    const aiffPath = join(tmp, 'e2e_dupe.aiff');
    writeFileSync(wavPath, wav16(audio));
    writeFileSync(aiffPath, aiff16(audio));
    await page.goto(`${base}/upload`);
    await page.getByTestId('file-input').setInputFiles([wavPath, aiffPath]);
    await page.locator('li[data-status="added"]', { hasText: 'e2e_dupe.wav' }).waitFor();
    await page.locator('li[data-status="added"]', { hasText: 'e2e_dupe.aiff' }).waitFor();
    const find = async () => (await api('/api/v1/samples?q=e2e_dupe')).items;
    for (const end = Date.now() + 30_000; ; ) {
      const items = await find();
      if (items.length === 2 && items.every((s) => s.analysis_state === 'done')) break;
      assert.ok(Date.now() < end, 'both files were analysed');
      await new Promise((r) => setTimeout(r, 200));
    }
    const items = await find();
    const wav = items.find((s) => s.file_name === 'e2e_dupe.wav');
    const aiff = items.find((s) => s.file_name === 'e2e_dupe.aiff');
    assert.equal(aiff?.format, 'aiff', 'the AIFF was read as AIFF');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Duplicates' }).click();
    await page.getByRole('heading', { name: 'Duplicates' }).waitFor();
    const group = page.locator('[data-testid=duplicate-group]', { has: page.locator(`[data-sample-id="${wav.id}"]`) });
    await group.waitFor();
    assert.equal(await group.getAttribute('data-kind'), 'exact');
    assert.match(await group.textContent(), /same audio/);
    assert.equal(await group.locator('[data-sample-id]').count(), 2);
    // Audition each copy. Chromium cannot decode the AIFF as uploaded, so the player asks the
    // server for it decoded to WAV, and it sounds.
    await group.getByRole('button', { name: `Play ${aiff.file_name}` }).click();
    await page.waitForFunction((id) => {
      const a = document.querySelector('audio');
      return a?.src.endsWith(`/api/v1/samples/${id}/audio?as=wav`) && !a.paused && a.currentTime > 0;
    }, aiff.id);
    await group.getByRole('button', { name: `Play ${wav.file_name}` }).click();
    await page.waitForFunction((id) => {
      const a = document.querySelector('audio');
      return a?.src.endsWith(`/api/v1/samples/${id}/audio`) && !a.paused;
    }, wav.id);
    await group.getByRole('button', { name: `Pause ${wav.file_name}` }).click();
    // Keep the WAV; the AIFF goes, after a confirmation.
    await group.getByLabel(`Keep ${wav.file_name}`).check();
    await group.getByRole('button', { name: `Keep ${wav.file_name}, remove 1…` }).click();
    const confirm = group.getByRole('alertdialog', { name: 'Confirm removal' });
    await confirm.getByText(`Remove “${aiff.file_name}” from the library?`).waitFor();
    assert.equal((await find()).length, 2, 'nothing is removed before the confirmation');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await group.waitFor({ state: 'detached' });
    assert.equal((await fetch(`${base}/api/v1/samples/${aiff.id}`)).status, 404);
    assert.equal((await api(`/api/v1/samples/${wav.id}`)).file_name, wav.file_name);
    const left = (await api('/api/v1/duplicates')).items ?? [];
    assert.ok(!left.some((g) => g.samples.some((s) => s.id === wav.id || s.id === aiff.id)), 'the group is gone');
    await shot('duplicates');
    assertClean('/duplicates');
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
    // The kit editor stacks its panels on a phone, without sideways scrolling.
    await page.goto(`${base}/kits/${kitId}`);
    await page.locator('[data-pad=A1]').waitFor();
    const kitOverflow = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=kit-page]');
      return Math.max(document.documentElement.scrollWidth - window.innerWidth, el.scrollWidth - el.clientWidth);
    });
    assert.ok(kitOverflow <= 0, `the kit page is ${kitOverflow}px wider than the phone screen`);
    // Panels stack: the library ends above the bank tabs and the pads, and the inspector below them.
    const libBox = await page.getByRole('complementary', { name: 'Library' }).boundingBox();
    const tabsBox = await page.getByRole('tablist', { name: 'Banks' }).boundingBox();
    const gridBox = await page.getByTestId('pad-grid').boundingBox();
    const inspBox = await page.getByRole('complementary', { name: 'Pad inspector' }).boundingBox();
    assert.ok(libBox.y + libBox.height <= tabsBox.y, 'the library panel does not cover the bank tabs');
    assert.ok(tabsBox.y + tabsBox.height <= gridBox.y, 'the bank tabs do not cover the pads');
    assert.ok(gridBox.y + gridBox.height <= inspBox.y, 'the inspector comes after the pads');
    const pad = await page.locator('[data-pad=A1]').boundingBox();
    assert.ok(pad.width >= 60, `pads stay big enough to hit (${pad.width}px)`);
    await shot('kit-phone-dark');
    assertClean('/ (phone)');
  });

  // The README's screenshots are refreshed on request only, so a test run leaves the tree as it
  // was: UPDATE_SCREENSHOTS=1 make -C web e2e.
  if (broken || process.env.UPDATE_SCREENSHOTS !== '1') return;
  for (const name of ['library', 'sample-detail', 'upload', 'kit', 'imports', 'usage']) {
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
