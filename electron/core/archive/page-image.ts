import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { PageMime } from '#shared/api/archive';
import { ApiError } from '#shared/api/errors';

/** How pages are shrunk before they are stored: the longest side in pixels and the JPEG quality (0–100). */
export interface PageCompression {
  maxLongSide: number;
  jpegQuality: number;
}

export const DEFAULT_COMPRESSION: PageCompression = { maxLongSide: 2000, jpegQuality: 80 };

/** Refused before decoding: a small file can claim a huge picture and exhaust memory when decoded. */
const MAX_PIXELS = 40_000_000;

/** The type the bytes themselves declare (magic numbers); null for anything a page may not be. */
export function sniffMime(bytes: Uint8Array): PageMime | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

/** Width and height from the PNG header or the JPEG frame header, without decoding the picture. */
export function declaredSize(bytes: Buffer, mime: 'image/jpeg' | 'image/png'): { width: number; height: number } | null {
  if (mime === 'image/png') return bytes.length >= 24 ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : null;
  let at = 2;
  while (at + 9 < bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return null;
}

export interface PreparedPage {
  bytes: Buffer;
  mime: 'image/jpeg' | 'application/pdf';
  width: number | null;
  height: number | null;
}

/**
 * What is stored for an upload: images decoded, scaled down to the configured long side and re-encoded as JPEG (which
 * also drops camera metadata such as location); PDFs kept byte for byte.
 */
export async function preparePage(bytes: Buffer, settings: PageCompression = DEFAULT_COMPRESSION): Promise<PreparedPage> {
  const mime = sniffMime(bytes);
  if (!mime) throw new ApiError('VALIDATION', '只能导入JPEG、PNG图片或PDF文件（按文件内容识别）');
  if (mime === 'application/pdf') return { bytes, mime, width: null, height: null };
  const declared = declaredSize(bytes, mime);
  if (!declared || declared.width < 1 || declared.height < 1) throw new ApiError('VALIDATION', '图片文件已损坏，无法识别');
  if (declared.width * declared.height > MAX_PIXELS) throw new ApiError('VALIDATION', '图片像素过大，请降低分辨率后再导入');
  const image = await loadImage(bytes).catch(() => {
    throw new ApiError('VALIDATION', '图片文件已损坏，无法识别');
  });
  const scale = Math.min(1, settings.maxLongSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  // JPEG has no transparency: a transparent PNG would otherwise turn black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  return { bytes: await canvas.encode('jpeg', settings.jpegQuality), mime: 'image/jpeg', width, height };
}
