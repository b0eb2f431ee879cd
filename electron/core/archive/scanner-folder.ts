import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname, extname, isAbsolute, join, parse } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PAGE_FILE_MAX_BYTES, type PageMime } from '#shared/api/archive';
import { ApiError } from '#shared/api/errors';
import { SCANNER_FILED_FOLDER, SCANNER_LIST_MAX, type ScannerFile } from '#shared/api/scanner';
import { cjkFontFamily } from '../devices/printer/cjk-font';
import { preparePage, sniffMime } from './page-image';
import type { PageUploads } from './page-uploads';

const KINDS: Readonly<Record<string, ScannerFile['kind']>> = { '.jpg': 'image', '.jpeg': 'image', '.png': 'image', '.pdf': 'pdf' };

const TOO_LARGE = `文件超过${PAGE_FILE_MAX_BYTES / 1024 / 1024}MB，不能导入`;

/** Why a folder cannot be the scanner folder, or null when it can. */
export function folderProblem(folder: string): string | null {
  if (!isAbsolute(folder)) return '请填写完整路径，例如 D:\\扫描 或 /home/guiyuan/扫描';
  try {
    if (!statSync(folder).isDirectory()) return '该路径不是文件夹';
  } catch {
    return '文件夹不存在或无法访问';
  }
  return null;
}

/** The folder's real path: a file is inside only if its own real path sits directly in it. */
function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    throw new ApiError('CONFLICT', `扫描文件夹不存在或无法访问：${folder}`);
  }
}

/**
 * A waiting file by name, with the checks every access makes: the name names nothing outside the folder, the file
 * (followed through a link) is a regular file directly inside it, and not larger than the limit. Its real path is what
 * is read, so the link is not followed a second time.
 */
function locate(folder: string, name: string): { path: string; stat: Stats } {
  // The contract refuses such names already; this guard keeps the module safe on its own.
  if (/[/\\\0]/.test(name) || name.includes('..') || name === '') throw new ApiError('VALIDATION', '只能读取扫描文件夹中的文件');
  const root = realFolder(folder);
  const path = join(folder, name);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new ApiError('NOT_FOUND', `扫描文件夹中已没有文件“${name}”，请刷新`);
  }
  if (dirname(real) !== root) throw new ApiError('FORBIDDEN', '只能读取扫描文件夹中的文件');
  const stat = statSync(real);
  if (!stat.isFile()) throw new ApiError('VALIDATION', `“${name}”不是文件`);
  if (stat.size > PAGE_FILE_MAX_BYTES) throw new ApiError('VALIDATION', TOO_LARGE);
  return { path: real, stat };
}

/** The JPEG, PNG and PDF files waiting in the folder, newest first. A link leading out of the folder is not listed. */
export function listFolder(folder: string): { files: ScannerFile[]; more: number } {
  const root = realFolder(folder);
  const files: ScannerFile[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const kind = KINDS[extname(entry.name).toLowerCase()];
    if (!kind || !(entry.isFile() || entry.isSymbolicLink())) continue;
    let stat: Stats;
    try {
      if (dirname(realpathSync(join(folder, entry.name))) !== root) continue;
      stat = statSync(join(folder, entry.name));
    } catch {
      continue; // a dangling link, or a file the scanner removed meanwhile
    }
    if (!stat.isFile()) continue;
    files.push({
      name: entry.name,
      kind,
      size: stat.size,
      modifiedAt: stat.mtime.toISOString(),
      tooLarge: stat.size > PAGE_FILE_MAX_BYTES,
    });
  }
  files.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
  return { files: files.slice(0, SCANNER_LIST_MAX), more: Math.max(0, files.length - SCANNER_LIST_MAX) };
}

/**
 * A waiting file copied into the staged uploads under a new id, for `pages.attach`: the bytes never travel through the
 * renderer. Its type is read from its first bytes (attaching reads it again from the copy); anything but JPEG, PNG or
 * PDF is refused here already.
 */
export function stageScan(folder: string, name: string, uploads: PageUploads): { uploadId: string; mime: PageMime; size: number } {
  const { path } = locate(folder, name);
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const mime = sniffMime(head);
  if (!mime) throw new ApiError('VALIDATION', '只能导入JPEG、PNG图片或PDF文件（按文件内容识别）');
  const uploadId = randomUUID();
  return { uploadId, mime, size: uploads.copy(uploadId, path) };
}

/** A JPEG of at most 160 px for the list, made as a page is (size checked before decoding). */
export async function thumbnail(folder: string, name: string): Promise<string> {
  const bytes = readFileSync(locate(folder, name).path);
  if (sniffMime(bytes) === 'application/pdf') throw new ApiError('VALIDATION', 'PDF文件没有缩略图');
  // Anything but a picture is refused by preparePage.
  const small = await preparePage(bytes, { maxLongSide: 160, jpegQuality: 70 });
  return `data:image/jpeg;base64,${small.bytes.toString('base64')}`;
}

/** `scan.jpg`, else `scan (2).jpg`, … : a free name in `dir`, so a filed file never replaces another. */
function freeName(dir: string, name: string): string {
  const { name: stem, ext } = parse(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem} (${n})${ext}`;
    if (!existsSync(join(dir, candidate))) return candidate;
  }
}

/** Moves filed files into `已归入`, never over another file; a name no longer in the folder is skipped. */
export function moveToFiled(folder: string, names: readonly string[]): { name: string; to: string }[] {
  const filedDir = join(folder, SCANNER_FILED_FOLDER);
  mkdirSync(filedDir, { recursive: true });
  const moved: { name: string; to: string }[] = [];
  for (const name of new Set(names)) {
    try {
      locate(folder, name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NOT_FOUND') continue;
      throw error;
    }
    const to = freeName(filedDir, name);
    renameSync(join(folder, name), join(filedDir, to));
    moved.push({ name, to: `${SCANNER_FILED_FOLDER}/${to}` });
  }
  return moved;
}

/** A scanned form as a demo scanner would leave it: a slightly tilted page with a title and lines of text. */
function sampleScan(title: string, tilt: number) {
  const canvas = createCanvas(827, 1169);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#d9d6cf';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate((tilt * Math.PI) / 180);
  ctx.translate(-canvas.width / 2, -canvas.height / 2);
  ctx.fillStyle = '#fff';
  ctx.fillRect(40, 40, canvas.width - 80, canvas.height - 80);
  const font = cjkFontFamily() ?? 'sans-serif';
  ctx.fillStyle = '#222';
  ctx.font = `bold 40px "${font}"`;
  ctx.fillText(title, 110, 170);
  ctx.font = `24px "${font}"`;
  ctx.fillText('演示扫描件（扫描仪投放文件夹）', 110, 230);
  ctx.fillStyle = '#9aa5b1';
  for (let y = 300; y < canvas.height - 140; y += 52) ctx.fillRect(110, y, canvas.width - 220 - ((y * 31) % 240), 14);
  return canvas;
}

/**
 * The demo drop folder: made once, with two sample scans (a JPEG and a PNG), so 扫描导入 works in a demo at once. Once
 * it exists it is left alone: filed samples stay in `已归入` and are not made again.
 */
export async function ensureDemoFolder(folder: string): Promise<void> {
  if (existsSync(folder)) return;
  const staging = `${folder}.tmp`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, '演示扫描-户口簿.jpg'), await sampleScan('户口簿（演示）', -2).encode('jpeg', 80));
  writeFileSync(join(staging, '演示扫描-变更证明.png'), await sampleScan('变更证明（演示）', 1.5).encode('png'));
  // Renamed into place whole, so a list during the writing never sees half of it.
  renameSync(staging, folder);
}
