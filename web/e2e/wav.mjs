// Small WAV generators for the end-to-end test: real PCM files the server analyses.

/** wav16 encodes mono float samples in [-1, 1] as a 16-bit PCM WAV file. */
export function wav16(samples, sampleRate = 44100) {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** kick is a pitched-down sine thump with an exponential decay. */
export function kick(seconds = 0.5, sampleRate = 44100) {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f = 50 + 100 * Math.exp(-t * 30);
    phase += (2 * Math.PI * f) / sampleRate;
    out[i] = 0.9 * Math.sin(phase) * Math.exp(-t * 8);
  }
  return out;
}

/** drumLoop lays kicks on every beat and noise hats on off-beats at the given tempo. */
export function drumLoop(bpm = 120, bars = 4, sampleRate = 44100, seed = 1) {
  const beat = 60 / bpm;
  const n = Math.round(bars * 4 * beat * sampleRate);
  const out = new Float32Array(n);
  const k = kick(0.3, sampleRate);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  for (let b = 0; b < bars * 4; b++) {
    const at = Math.round(b * beat * sampleRate);
    for (let i = 0; i < k.length && at + i < n; i++) out[at + i] += k[i];
    const hat = Math.round((b + 0.5) * beat * sampleRate);
    for (let i = 0; i < 2000 && hat + i < n; i++) out[hat + i] += 0.3 * rnd() * Math.exp(-i / 300);
  }
  return out;
}

/** chord sums sine partials of the given frequencies for a sustained pitched sound. */
export function chord(freqs, seconds = 2, sampleRate = 44100) {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    let v = 0;
    for (const f of freqs) v += Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t);
    out[i] = (0.25 * v * Math.min(1, t * 50) * Math.min(1, (seconds - t) * 20)) / freqs.length;
  }
  return out;
}

/** extended80 writes a positive whole number as the 80-bit IEEE extended float AIFF uses for rates. */
function extended80(n) {
  const b = Buffer.alloc(10);
  const e = Math.floor(Math.log2(n));
  b.writeUInt16BE(16383 + e, 0);
  const mantissa = BigInt(n) << BigInt(63 - e);
  b.writeBigUInt64BE(mantissa, 2);
  return b;
}

/** aiff16 encodes the same mono samples as wav16, as a 16-bit big-endian AIFF file. */
export function aiff16(samples, sampleRate = 44100) {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16BE(Math.round(v * 32767), i * 2);
  }
  const comm = Buffer.alloc(8 + 18);
  comm.write('COMM', 0);
  comm.writeUInt32BE(18, 4);
  comm.writeUInt16BE(1, 8); // mono
  comm.writeUInt32BE(samples.length, 10); // sample frames
  comm.writeUInt16BE(16, 14); // bits
  extended80(sampleRate).copy(comm, 16);
  const ssnd = Buffer.alloc(16);
  ssnd.write('SSND', 0);
  ssnd.writeUInt32BE(8 + data.length, 4);
  // offset and block size stay 0
  const form = Buffer.alloc(12);
  form.write('FORM', 0);
  form.writeUInt32BE(4 + comm.length + ssnd.length + data.length, 4);
  form.write('AIFF', 8);
  return Buffer.concat([form, comm, ssnd, data]);
}
