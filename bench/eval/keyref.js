// keyref.js runs essentia.js's KeyExtractor over raw audio files as an outside reference for
// bench/eval (go run ./bench/eval -compare). It is a benchmark helper only: essentia.js is
// AGPL-licensed, installed by setup.sh into the git-ignored node_modules next to this file,
// and never shipped, vendored or imported by the Go code.
//
// Usage: node keyref.js LIST.json
//
// LIST.json is an array of {"id": "...", "raw": "/path/x.f32", "rate": 44100}: mono 32-bit
// little-endian float samples. One JSON line per entry is printed on stdout:
// {"id", "key", "scale", "strength", "cpu_ms"}, where cpu_ms is the process CPU time
// (user + system) spent inside KeyExtractor for that file.
"use strict";

const fs = require("fs");
const { Essentia, EssentiaWASM } = require("essentia.js");

const essentia = new Essentia(EssentiaWASM);
const list = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
for (const e of list) {
  const bytes = fs.readFileSync(e.raw);
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  const before = process.cpuUsage();
  const vec = essentia.arrayToVector(samples);
  // Essentia's defaults except the sample rate, which follows the file.
  const r = essentia.KeyExtractor(vec, true, 4096, 4096, 12, 3500, 60, 25, 0.2, "bgate", e.rate,
    0.0001, 440, "cosine", "hann");
  const used = process.cpuUsage(before);
  vec.delete();
  console.log(JSON.stringify({
    id: e.id, key: r.key, scale: r.scale, strength: r.strength,
    cpu_ms: (used.user + used.system) / 1000,
  }));
}
