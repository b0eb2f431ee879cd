import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VOICE_CLIPS, clipFile, type VoiceClip } from '#shared/domain/queue/announce';

/**
 * `tsx scripts/voice/generate.ts`: the starter voice set in resources/voice, synthesised with espeak-ng (Debian:
 * `apt-get install -y espeak-ng`, Mandarin voice `cmn`) and a generated chime, as 16 kHz mono 16-bit WAV. The clips are
 * committed, so building the app never needs espeak-ng; a hall replaces them with its own recordings of the same names.
 */
const RATE = 16_000;
const OUT = fileURLToPath(new URL('../../resources/voice/', import.meta.url));
const DIGITS = '零一二三四五六七八九';

/** What espeak-ng is asked to say for each clip: digits as Chinese numerals, letters by their own name. */
function spoken(clip: Exclude<VoiceClip, 'chime'>): string {
  return /^\d$/.test(clip) ? DIGITS[Number(clip)]! : clip;
}

interface Pcm {
  rate: number;
  samples: Int16Array;
}

function readWav(bytes: Buffer): Pcm {
  let offset = 12;
  let rate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    // espeak-ng writes 0x7ffff… as the size of a streamed data chunk: take the rest of the file.
    const size = Math.min(bytes.readUInt32LE(offset + 4), bytes.length - offset - 8);
    if (id === 'fmt ') rate = bytes.readUInt32LE(offset + 12);
    if (id === 'data') {
      const data = bytes.subarray(offset + 8, offset + 8 + size - (size % 2));
      return { rate, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in WAV');
}

/** Drops leading and trailing near-silence so clips join without gaps, keeping a few ms of breath. */
function trim(samples: Int16Array, rate: number): Int16Array {
  const loud = (s: number) => Math.abs(s) > 600;
  const pad = Math.round(rate * 0.02);
  let start = samples.findIndex(loud);
  if (start < 0) return samples;
  let end = samples.length - 1;
  while (end > start && !loud(samples[end]!)) end -= 1;
  start = Math.max(0, start - pad);
  end = Math.min(samples.length, end + pad);
  return samples.slice(start, end);
}

function resample({ rate, samples }: Pcm): Int16Array {
  const out = new Int16Array(Math.floor((samples.length * RATE) / rate));
  for (let i = 0; i < out.length; i += 1) {
    const x = (i * rate) / RATE;
    const j = Math.floor(x);
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

function wav(samples: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.length * 2)]);
}

/** Ding-dong: two decaying tones, a major third apart. */
function chime(): Int16Array {
  const tone = (freq: number, seconds: number) =>
    Array.from({ length: Math.round(RATE * seconds) }, (_, i) => {
      const t = i / RATE;
      return Math.round(Math.sin(2 * Math.PI * freq * t) * Math.exp(-3 * t) * 12_000);
    });
  return Int16Array.from([...tone(784, 0.45), ...tone(622, 0.7)]);
}

mkdirSync(OUT, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'yichuang-voice-'));
try {
  for (const clip of VOICE_CLIPS) {
    let samples: Int16Array;
    if (clip === 'chime') samples = chime();
    else {
      const file = join(work, 'clip.wav');
      execFileSync('espeak-ng', ['-v', 'cmn', '-s', '160', '-w', file, spoken(clip)]);
      const pcm = readWav(readFileSync(file));
      samples = resample({ rate: pcm.rate, samples: trim(pcm.samples, pcm.rate) });
    }
    writeFileSync(join(OUT, clipFile(clip)), wav(samples));
  }
  process.stdout.write(`${VOICE_CLIPS.length} clips written to ${OUT}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
