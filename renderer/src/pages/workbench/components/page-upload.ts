import { PAGE_FILE_MAX_BYTES, PAGE_PART_MAX_BYTES, PAGE_UPLOAD_MAX_BYTES } from '#shared/api/archive';
import type { ParamsOf } from '#shared/api/contract';
import { ApiError } from '#shared/api/errors';
import { client } from '../../../app/client';
import { rotatedBounds, totalAngle, type PageEdit, type Point, type Size } from './page-geometry';

/** A file the workbench cannot send, with the reason for the teller. */
export class UploadError extends Error {}

/** What `pages.attach` takes as its `file`: the bytes inline, or a file staged before in parts. */
export type PageUpload = ParamsOf<'pages.attach'>['file'];

/** Told before each part of a large file is sent: part `n` (from 1) of `of`. */
export type PartProgress = (n: number, of: number) => void;

/** Where filed pages go: one material of a case; `onAttached` is told after each page is filed. */
export interface PageTarget {
  caseId: string;
  material: { code: string; name: string };
  onAttached: () => void;
}

/** The core compresses to the same long side; shrinking here first keeps a large photo within one upload. */
const MAX_LONG_SIDE = 2000;

/** A picture drawn onto a canvas no larger than the stored size, as JPEG, lowering the quality until it fits. */
export function canvasUpload(source: CanvasImageSource, width: number, height: number, name: string): PageUpload {
  const scale = Math.min(1, MAX_LONG_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.5]) {
    const dataBase64 = canvas.toDataURL('image/jpeg', quality).split(',')[1]!;
    if ((dataBase64.length * 3) / 4 <= PAGE_UPLOAD_MAX_BYTES) return { name, mime: 'image/jpeg', dataBase64 };
  }
  throw new UploadError('图片过大，无法压缩到上传限制以内');
}

const base64Of = (bytes: ArrayBuffer) => {
  let binary = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** A random UUID (v4) from getRandomValues: `crypto.randomUUID` exists only in secure contexts, a LAN page is not one. */
function newUploadId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A reply lost now and then is normal; a core that keeps disagreeing about the offset is not. */
const MAX_RESUMES = 5;

/**
 * Stages a large file with the core in parts (`pages.uploadPart`), in order; after a CONFLICT it goes on from the bytes
 * the core says it holds. Returns the upload's id for `pages.attach`.
 */
async function sendInParts(file: File, onPart?: PartProgress): Promise<string> {
  const uploadId = newUploadId();
  const parts = Math.ceil(file.size / PAGE_PART_MAX_BYTES);
  let offset = 0;
  let resumes = 0;
  while (offset < file.size) {
    onPart?.(Math.floor(offset / PAGE_PART_MAX_BYTES) + 1, parts);
    const dataBase64 = base64Of(await file.slice(offset, offset + PAGE_PART_MAX_BYTES).arrayBuffer());
    try {
      offset = (await client().call('pages.uploadPart', { uploadId, offset, dataBase64 })).received;
    } catch (err) {
      if (!(err instanceof ApiError && err.received !== undefined) || ++resumes > MAX_RESUMES) throw err;
      offset = err.received;
    }
  }
  return uploadId;
}

/**
 * An imported file as sent: small files inline as they are (the core checks their type), large pictures shrunk first as
 * a camera frame is, and anything else larger (a scanned PDF, up to 64 MB) staged in parts, unchanged.
 */
export async function fileUpload(file: File, onPart?: PartProgress): Promise<PageUpload> {
  const { name, type: mime, size } = file;
  if (size <= PAGE_UPLOAD_MAX_BYTES) return { name, mime, dataBase64: base64Of(await file.arrayBuffer()) };
  if (mime.startsWith('image/')) {
    const bitmap = await createImageBitmap(file).catch(() => {
      throw new UploadError('图片文件已损坏，无法识别');
    });
    try {
      return canvasUpload(bitmap, bitmap.width, bitmap.height, name);
    } finally {
      bitmap.close();
    }
  }
  if (size > PAGE_FILE_MAX_BYTES) throw new UploadError(`文件超过${PAGE_FILE_MAX_BYTES / 1024 / 1024}MB，不能导入`);
  return { name, mime, uploadId: await sendInParts(file, onPart), size };
}

/** A picture as the editor shows and files it: rotated by `degrees` about its centre, then shifted by `offset`. */
export function drawRotated(ctx: CanvasRenderingContext2D, source: CanvasImageSource, size: Size, degrees: number, offset: Point): void {
  const bounds = rotatedBounds(size, degrees);
  ctx.save();
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.translate(bounds.width / 2 - offset.x, bounds.height / 2 - offset.y);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(source, -size.width / 2, -size.height / 2, size.width, size.height);
  ctx.restore();
}

/** The edited page (turned, straightened, cropped) as sent: exactly the crop's pixels, shrunk like any picture. */
export function editedUpload(source: CanvasImageSource, size: Size, edit: PageEdit, name: string): PageUpload {
  const canvas = document.createElement('canvas');
  canvas.width = edit.crop.width;
  canvas.height = edit.crop.height;
  drawRotated(canvas.getContext('2d')!, source, size, totalAngle(edit), edit.crop);
  return canvasUpload(canvas, canvas.width, canvas.height, name);
}

/**
 * The simulated document camera (模拟高拍仪) of the demo and the tests: a test page naming the material and the time,
 * edited and filed like a real frame.
 */
export function simulatedFrame(materialName: string, at = new Date()): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 1240;
  canvas.height = 1754;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#1f3a5f';
  ctx.lineWidth = 8;
  ctx.strokeRect(60, 60, canvas.width - 120, canvas.height - 120);
  ctx.fillStyle = '#1f3a5f';
  ctx.font = 'bold 64px sans-serif';
  ctx.fillText('模拟高拍仪 测试页', 120, 220);
  ctx.font = '48px sans-serif';
  ctx.fillText(materialName, 120, 340);
  ctx.fillText(at.toLocaleString('zh-CN'), 120, 420);
  ctx.fillStyle = '#c8d3e0';
  for (let y = 520; y < canvas.height - 160; y += 70) ctx.fillRect(120, y, canvas.width - 240 - ((y * 37) % 300), 24);
  return canvas;
}
