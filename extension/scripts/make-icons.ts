/**
 * Draws the Clubpass icon (a white ticket with a perforation on a teal rounded square) into
 * public/icon/{16,32,48,128}.png. Plain PNG encoding with node:zlib; anti-aliased by supersampling.
 * Run: npm run icons -w @clubpass/extension
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const TEAL: [number, number, number] = [15, 118, 110];
const WHITE: [number, number, number] = [255, 255, 255];

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.subarray(y * size * 4, (y + 1) * size * 4)).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Signed distance to a rounded rectangle centred at (cx, cy). */
function roundedRect(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number): number {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** The shape in unit coordinates (0..1): which colour a point is, or null for transparent. */
function sample(x: number, y: number, size: number): [number, number, number] | null {
  if (roundedRect(x, y, 0.5, 0.5, 0.5, 0.5, 0.22) > 0) return null;
  // The ticket: a rounded rectangle with a semicircle notch on each side.
  const inTicket = roundedRect(x, y, 0.5, 0.5, 0.3, 0.21, 0.06) <= 0;
  const notch = Math.hypot(x - 0.2, y - 0.5) < 0.075 || Math.hypot(x - 0.8, y - 0.5) < 0.075;
  if (!inTicket || notch) return TEAL;
  // Perforation: a dashed vertical line at 62% (dropped at 16 px, where it would only blur).
  if (size >= 32 && Math.abs(x - 0.62) < 0.018) {
    const dash = ((y - 0.29) / 0.07) % 1;
    if (y > 0.31 && y < 0.69 && dash < 0.55) return TEAL;
  }
  return WHITE;
}

function draw(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const colour = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  return rgba;
}

const out = new URL('../public/icon/', import.meta.url);
for (const size of SIZES) {
  writeFileSync(new URL(`${size}.png`, out), encodePng(size, draw(size)));
  console.log(`public/icon/${size}.png`);
}
