#!/usr/bin/env python3
"""Helpers for bench/soak/soak.sh (Python 3 standard library only).

  soak.py seed   BASE N IDS_FILE          upload N generated WAVs, wait for analysis, write "id size" lines
  soak.py import BASE PER_S UNTIL CSV     upload generated WAVs at PER_S files/s until the UNTIL epoch
  soak.py rss    PID EVERY_S UNTIL CSV BASE  sample the server's RSS (anonymous, file), Go heap, CPU time and threads
  soak.py report OUT_DIR                  summarise windows, RSS and imports into summary.md and summary.json

Every generated WAV is different (random tone, noise and length), so uploads are never
de-duplicated away and each one queues a real analysis.
"""
import array
import io
import json
import math
import os
import random
import struct
import sys
import time
import urllib.parse
import urllib.request
import urllib.request
import uuid
import wave
import http.client

RATE = 44100


def make_wav(rng):
    """A 0.3-4 s mono 16-bit WAV: a drum-like hit, or a one-bar loop of that hit.

    Only one hit (at most 0.35 s) is computed sample by sample; loops repeat it with silence
    between, and a few random samples at the end make every file's content hash unique. This
    keeps the generator cheap (~15 ms a file), so the importer does not steal the server's CPU.
    """
    loop = rng.random() < 0.4
    f0 = rng.uniform(40, 900)
    noise = rng.uniform(0.0, 0.6)
    decay = rng.uniform(8, 30)
    hit_len = int(RATE * rng.uniform(0.12, 0.35))
    hit = array.array("h")
    ph, sin, rnd = 0.0, math.sin, rng.random
    step = 2 * math.pi * f0 / RATE
    for i in range(hit_len):
        t = i / RATE
        ph += step * (1 - 0.3 * min(t * 8, 1))
        hit.append(int(20000 * math.exp(-decay * t) * ((1 - noise) * sin(ph) + noise * (rnd() * 2 - 1))))
    if loop:
        bpm = rng.choice([80, 85, 90, 95, 100, 110, 120, 128, 140])
        step_len = int(60.0 / bpm * RATE / 2)  # eighth notes, one 4/4 bar
        gap = array.array("h", bytes(2 * max(0, step_len - hit_len)))
        one = hit[:step_len] + gap
        pcm = one * 8
    else:
        pcm = hit + array.array("h", bytes(2 * int(RATE * rng.uniform(0.2, 0.8))))
    pcm.extend(rng.randint(-40, 40) for _ in range(64))
    if sys.byteorder != "little":
        pcm.byteswap()
    out = io.BytesIO()
    w = wave.open(out, "wb")
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(RATE)
    w.writeframes(pcm.tobytes())
    w.close()
    kind = "loop" if loop else rng.choice(["kick", "snare", "hat", "perc", "bass", "tone"])
    return f"soak_{kind}_{uuid.uuid4().hex[:8]}.wav", out.getvalue()


def multipart(files, fields):
    boundary = "soak" + uuid.uuid4().hex
    body = io.BytesIO()
    for k, v in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for name, data in files:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                   f"Content-Type: audio/wav\r\n\r\n".encode())
        body.write(data)
        body.write(b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", body.getvalue()


class Client:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if os.environ.get("SOAK_TOKEN"):
            headers["Authorization"] = "Bearer " + os.environ["SOAK_TOKEN"]
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def upload(self, files, tags="soak"):
        ctype, body = multipart(files, {"tags": tags})
        return self.request("POST", "/api/v1/samples", body, {"Content-Type": ctype})

    def total(self, query):
        st, body = self.request("GET", "/api/v1/samples?limit=1&" + query)
        if st != 200:
            raise SystemExit(f"GET samples?{query}: {st} {body[:200]!r}")
        return json.loads(body)["total"]


def seed(base, n, ids_file):
    c = Client(base)
    rng = random.Random(404)
    t0 = time.time()
    for start in range(0, n, 10):
        files = [make_wav(rng) for _ in range(min(10, n - start))]
        st, body = c.upload(files, "soak,seed")
        if st not in (200, 201):
            raise SystemExit(f"seed upload: {st} {body[:300]!r}")
    print(f"seed: uploaded {n} WAVs in {time.time() - t0:.1f} s; waiting for analysis", flush=True)
    deadline = time.time() + 900
    while True:
        busy = c.total("analysis_state=pending") + c.total("analysis_state=analyzing")
        if busy == 0:
            break
        if time.time() > deadline:
            raise SystemExit(f"seed: {busy} samples still not analysed after 15 min")
        time.sleep(1)
    failed = c.total("analysis_state=failed")
    print(f"seed: analysis finished {time.time() - t0:.1f} s after the first upload ({failed} failed)", flush=True)
    lines, page = [], 1
    while True:
        st, body = c.request("GET", f"/api/v1/samples?analysis_state=done&limit=500&page={page}")
        items = json.loads(body)["items"]
        lines += [f"{s['id']} {s['size_bytes']}" for s in items]
        if len(items) < 500:
            break
        page += 1
    with open(ids_file, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"seed: {len(lines)} analysed samples in {ids_file}", flush=True)


def importer(base, per_s, until, csv_path):
    if per_s <= 0:  # -i 0: a library that does not grow, to tell a leak from growth
        open(csv_path, "w").write("t,status,latency_ms,bytes\n")
        return
    c = Client(base)
    rng = random.Random()
    interval = 1.0 / per_s
    nxt = time.time()
    with open(csv_path, "w") as f:
        f.write("t,status,latency_ms,bytes\n")
        while time.time() < until:
            name, data = make_wav(rng)
            now = time.time()
            if nxt > now:
                time.sleep(nxt - now)
            nxt += interval
            t = time.time()
            try:
                st, _ = c.upload([(name, data)])
            except OSError:
                st = 0
            f.write(f"{t:.3f},{st},{(time.time() - t) * 1000:.1f},{len(data)}\n")
            f.flush()


def heap_inuse_mib(base):
    """The Go heap in use, from the server's /metrics (NaN when it cannot be read)."""
    h = {"Authorization": "Bearer " + os.environ["SOAK_TOKEN"]} if os.environ.get("SOAK_TOKEN") else {}
    try:
        text = urllib.request.urlopen(urllib.request.Request(base + "/metrics", headers=h), timeout=2).read().decode()
    except OSError:
        return float("nan")
    for line in text.splitlines():
        if line.startswith("go_memstats_heap_inuse_bytes "):
            return float(line.split()[1]) / 2**20
    return float("nan")


def rss(pid, every, until, csv_path, base):
    tick = os.sysconf("SC_CLK_TCK")
    with open(csv_path, "w") as f:
        f.write("t,rss_kib,anon_kib,file_kib,heap_mib,cpu_s,threads,load1,runq_wait_s\n")
        while time.time() < until:
            try:
                status = open(f"/proc/{pid}/status").read()
                stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                raise SystemExit(f"rss: process {pid} is gone")
            kv = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            kib = lambda k: int(kv[k].split()[0]) if k in kv else 0
            threads = int(kv["Threads"])
            cpu = (int(stat[11]) + int(stat[12])) / tick
            load1 = float(open("/proc/loadavg").read().split()[0])
            # Time the server's threads spent runnable but waiting for a CPU (other processes).
            try:
                runq = sum(int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[1])
                           for t in os.listdir(f"/proc/{pid}/task")) / 1e9
            except (FileNotFoundError, IndexError, ValueError):
                runq = float("nan")
            # Anonymous pages are the heap, stacks and SQLite's caches; file pages are the
            # binary and the database file the read connections map, which grow with the file
            # and which the kernel can drop. A leak shows in the first two.
            f.write(f"{time.time():.3f},{kib('VmRSS')},{kib('RssAnon')},{kib('RssFile')},{heap_inuse_mib(base):.2f},"
                    f"{cpu:.2f},{threads},{load1},{runq:.3f}\n")
            f.flush()
            time.sleep(every)


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        head = f.readline().strip().split(",")
        return [dict(zip(head, map(float, line.strip().split(",")))) for line in f if line.strip()]


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, max(0, math.ceil(p / 100 * len(v)) - 1))]


def slope_per_min(points):
    """Least-squares slope of (t seconds, y) in y units per minute."""
    if len(points) < 3:
        return float("nan")
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    den = sum((p[0] - mx) ** 2 for p in points)
    return 60 * sum((p[0] - mx) * (p[1] - my) for p in points) / den if den else float("nan")


def report(out):
    meta = json.load(open(os.path.join(out, "meta.json")))
    windows = []
    for i in range(1, meta["windows"] + 1):
        path = os.path.join(out, f"w-{i:03d}.jsonl")
        if not os.path.exists(path):
            continue
        for line in open(path):
            d = json.loads(line)
            d["window"] = i
            windows.append(d)
    kinds = ["list", "search", "similar", "audio"]
    res = {"meta": meta, "kinds": {}, "windows": [], "rss": {}, "import": {}}
    all_p99 = []
    for k in kinds:
        ws = [w for w in windows if w["kind"] == k]
        if not ws:
            continue
        req = sum(w["requests"] for w in ws)
        errs = sum(w["err_connect"] + w["err_read"] + w["err_write"] + w["err_status"] + w["err_timeout"] for w in ws)
        dur = sum(w["duration_us"] for w in ws) / 1e6
        p99s = [w["p99_us"] / 1000 for w in ws]
        all_p99 += p99s
        res["kinds"][k] = {
            "requests": req, "errors": errs, "error_rate": errs / req if req else float("nan"),
            "rate_per_s": req / dur if dur else 0,
            "p50_ms_median_window": pct([w["p50_us"] / 1000 for w in ws], 50),
            "p99_ms_median_window": pct(p99s, 50),
            "p99_ms_worst_window": max(p99s),
            "max_ms": max(w["max_us"] for w in ws) / 1000,
        }
    for i in range(1, meta["windows"] + 1):
        ws = [w for w in windows if w["window"] == i]
        if not ws:
            continue
        req = sum(w["requests"] for w in ws)
        errs = sum(w["err_connect"] + w["err_read"] + w["err_write"] + w["err_status"] + w["err_timeout"] for w in ws)
        res["windows"].append({
            "window": i, "requests": req, "errors": errs,
            "rate_per_s": req / (max(w["duration_us"] for w in ws) / 1e6),
            **{f"{w['kind']}_p50_ms": w["p50_us"] / 1000 for w in ws},
            **{f"{w['kind']}_p99_ms": w["p99_us"] / 1000 for w in ws},
        })
    rs = read_csv(os.path.join(out, "rss.csv"))
    if rs:
        t0 = meta["load_start"]
        load = [r for r in rs if r["t"] >= t0]
        half = [r for r in load if r["t"] >= t0 + (meta["load_end"] - t0) / 2]
        # Go's heap saws up and down between collections, so a fit through raw samples is noisy;
        # the lowest RSS of each window (just after a collection) tracks what is really kept.
        per_win, w0 = [], t0
        lowest = {"anon": [], "heap": []}
        while w0 < meta["load_end"]:
            win = [r for r in load if w0 <= r["t"] < w0 + meta["window_s"]]
            seg = [r["rss_kib"] / 1024 for r in win]
            if seg:
                per_win.append((round(w0 - t0), min(seg), pct(seg, 50), max(seg),
                                min(r["anon_kib"] for r in win) / 1024, min(r["file_kib"] for r in win) / 1024,
                                min(r["heap_mib"] for r in win)))
                lowest["anon"].append((w0 - t0, per_win[-1][4]))
                lowest["heap"].append((w0 - t0, per_win[-1][6]))
            w0 += meta["window_s"]
        res["rss"] = {
            "before_load_mib": rs[0]["rss_kib"] / 1024 if rs[0]["t"] < t0 else None,
            "first_min_mib": max((r["rss_kib"] for r in load if r["t"] < t0 + 60), default=float("nan")) / 1024,
            "last_min_mib": max((r["rss_kib"] for r in load if r["t"] >= meta["load_end"] - 60), default=float("nan")) / 1024,
            "peak_mib": max(r["rss_kib"] for r in load) / 1024 if load else float("nan"),
            "slope_second_half_mib_per_min": slope_per_min([(r["t"], r["rss_kib"] / 1024) for r in half]),
            "slope_window_min_mib_per_min": slope_per_min([(w[0], w[1]) for w in per_win]),
            "anon_slope_window_min_mib_per_min": slope_per_min(lowest["anon"]),
            "heap_slope_window_min_mib_per_min": slope_per_min([p for p in lowest["heap"] if not math.isnan(p[1])]),
            "per_window_min_median_max_mib": per_win,
            "threads_max": max(r["threads"] for r in load) if load else 0,
            "cpu_s": (load[-1]["cpu_s"] - load[0]["cpu_s"]) if load else 0,
            "load1_max": max(r["load1"] for r in load) if load else 0,
            "load1_mean": sum(r["load1"] for r in load) / len(load) if load else 0,
            "runq_wait_s": (load[-1]["runq_wait_s"] - load[0]["runq_wait_s"]) if load else 0,
            "samples": [(round(r["t"] - t0), round(r["rss_kib"] / 1024, 1)) for r in load],
        }
    im = read_csv(os.path.join(out, "import.csv"))
    if im:
        ok = [r for r in im if r["status"] in (200, 201)]
        res["import"] = {
            "uploads": len(im), "ok": len(ok), "failed": len(im) - len(ok),
            "latency_p50_ms": pct([r["latency_ms"] for r in ok], 50),
            "latency_p99_ms": pct([r["latency_ms"] for r in ok], 99),
            "mib": sum(r["bytes"] for r in im) / 2**20,
        }
    # The server's own view: request durations from its JSON access log (production logging),
    # which leave out time the load generator itself waited for a CPU.
    log_path = os.path.join(out, "server.log")
    if os.path.exists(log_path):
        by = {}
        for line in open(log_path, errors="replace"):
            if '"http request"' not in line:
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            p, m = d.get("path", ""), d.get("method")
            if m != "GET":
                continue
            k = ("audio" if p.endswith("/audio") else "similar" if p.endswith("/similar")
                 else "search" if p == "/api/v1/search" else "list" if p == "/api/v1/samples" else None)
            if k:
                by.setdefault(k, []).append(d["duration"] / 1e6)
        res["server_side"] = {k: {"requests": len(v), "p50_ms": pct(v, 50), "p99_ms": pct(v, 99), "max_ms": max(v)}
                              for k, v in by.items()}
    res["backlog_after"] = meta.get("backlog_after")
    total_req = sum(v["requests"] for v in res["kinds"].values())
    total_err = sum(v["errors"] for v in res["kinds"].values())
    res["overall"] = {
        "requests": total_req, "errors": total_err,
        "error_rate": total_err / total_req if total_req else float("nan"),
        "p99_ms_worst_window_any_kind": max(all_p99) if all_p99 else float("nan"),
    }
    r = res.get("rss") or {}
    # File-backed pages (the mapped database) grow with the database file and are not the
    # process's to leak; the verdict is on what the process allocates.
    flat = bool(r) and abs(r["anon_slope_window_min_mib_per_min"]) < 1.0
    res["verdict"] = {
        "p99_under_50ms": res["overall"]["p99_ms_worst_window_any_kind"] < 50,
        "rss_flat": flat,
        "no_errors": total_err == 0,
    }
    json.dump(res, open(os.path.join(out, "summary.json"), "w"), indent=1)

    L = []
    L.append(f"# Soak run {meta['started']}\n")
    L.append(f"{meta['minutes']} min, target {meta['rate']} req/s ({meta['mix']}), {meta['connections']} connections per "
             f"kind, {meta['window_s']} s windows, import {meta['import_per_s']} WAV/s, seed {meta['seed']} samples, "
             f"server {meta['version']} on {meta['database']}.\n")
    L.append("| kind | requests | rate/s | errors | p50 ms (median window) | p99 ms (median window) | p99 ms (worst window) | max ms |")
    L.append("|---|---|---|---|---|---|---|---|")
    for k, v in res["kinds"].items():
        L.append(f"| {k} | {v['requests']} | {v['rate_per_s']:.1f} | {v['errors']} | {v['p50_ms_median_window']:.2f} | "
                 f"{v['p99_ms_median_window']:.2f} | {v['p99_ms_worst_window']:.2f} | {v['max_ms']:.1f} |")
    if res.get("server_side"):
        L.append("\nServer-side durations from the access log (whole run, seeding excluded as it uses POST):\n")
        L.append("| kind | requests | p50 ms | p99 ms | max ms |")
        L.append("|---|---|---|---|---|")
        for k in kinds:
            if k in res["server_side"]:
                v = res["server_side"][k]
                L.append(f"| {k} | {v['requests']} | {v['p50_ms']:.2f} | {v['p99_ms']:.2f} | {v['max_ms']:.1f} |")
    o = res["overall"]
    L.append(f"\nAll kinds: {o['requests']} requests, {o['errors']} errors (error rate {o['error_rate']:.4%}), "
             f"worst window p99 {o['p99_ms_worst_window_any_kind']:.2f} ms.\n")
    if r:
        L.append(f"RSS: {r['before_load_mib'] or float('nan'):.1f} MiB before load, peak in first minute {r['first_min_mib']:.1f} MiB, "
                 f"peak in last minute {r['last_min_mib']:.1f} MiB, overall peak {r['peak_mib']:.1f} MiB; slope over the second "
                 f"half {r['slope_second_half_mib_per_min']:+.2f} MiB/min (raw samples), {r['slope_window_min_mib_per_min']:+.2f} MiB/min "
                 f"(lowest RSS of each window); lowest of each window: anonymous RSS {r['anon_slope_window_min_mib_per_min']:+.2f} "
                 f"MiB/min, Go heap in use {r['heap_slope_window_min_mib_per_min']:+.2f} MiB/min; threads max {r['threads_max']}; server CPU "
                 f"{r['cpu_s']:.0f} s on CPU, {r['runq_wait_s']:.0f} s runnable but waiting for a CPU (summed over threads); "
                 f"machine load average (1 min) mean {r['load1_mean']:.1f}, max {r['load1_max']:.1f}.\n")
    if res["import"]:
        i = res["import"]
        L.append(f"Import during the run: {i['uploads']} uploads ({i['ok']} ok, {i['failed']} failed, {i['mib']:.1f} MiB), "
                 f"upload latency p50 {i['latency_p50_ms']:.1f} ms, p99 {i['latency_p99_ms']:.1f} ms; analysis backlog "
                 f"at the end: {res['backlog_after']}.\n")
    L.append("| window | req/s | errors | list p50/p99 | search p50/p99 | similar p50/p99 | audio p50/p99 |")
    L.append("|---|---|---|---|---|---|---|")
    for w in res["windows"]:
        cell = lambda k: f"{w.get(k + '_p50_ms', float('nan')):.2f} / {w.get(k + '_p99_ms', float('nan')):.2f}"
        L.append(f"| {w['window']} | {w['rate_per_s']:.0f} | {w['errors']} | {cell('list')} | {cell('search')} | "
                 f"{cell('similar')} | {cell('audio')} |")
    if r:
        L.append("\n| window start (s) | RSS min MiB | median | max | anonymous min | file-backed min | Go heap in use min |")
        L.append("|---|---|---|---|---|---|---|")
        for w in r["per_window_min_median_max_mib"]:
            L.append(f"| {w[0]} | {w[1]:.1f} | {w[2]:.1f} | {w[3]:.1f} | {w[4]:.1f} | {w[5]:.1f} | {w[6]:.1f} |")
        L.append("\nRSS over time (s since load start: MiB): " + ", ".join(f"{t}: {m}" for t, m in r["samples"][:: max(1, len(r["samples"]) // 24)]))
    v = res["verdict"]
    L.append(f"\nVerdict: p99 < 50 ms: {'yes' if v['p99_under_50ms'] else 'NO'}; RSS flat (lowest anonymous RSS per "
             f"window grows < 1 MiB/min): {'yes' if v['rss_flat'] else 'NO'}; errors: {'none' if v['no_errors'] else 'SOME'}.")
    text = "\n".join(L) + "\n"
    open(os.path.join(out, "summary.md"), "w").write(text)
    print(text)
    return 0 if all(v.values()) else 3


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == "seed":
        seed(argv[2], int(argv[3]), argv[4])
    elif cmd == "import":
        importer(argv[2], float(argv[3]), float(argv[4]), argv[5])
    elif cmd == "rss":
        rss(int(argv[2]), float(argv[3]), float(argv[4]), argv[5], argv[6])
    elif cmd == "report":
        return report(argv[2])
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
