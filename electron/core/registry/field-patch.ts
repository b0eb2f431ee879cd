import { ApiError } from '#shared/api/errors';

/**
 * Applies a field patch that remembers the version it started from. A field changed
 * after that version is a conflict (never last-writer-wins); other fields merge. The
 * same rule runs on the central server for patches arriving from several stations.
 */
export function planPatch<P extends Record<string, unknown>>(
  current: Record<string, unknown>,
  fieldVersions: Record<string, number>,
  baseVersion: number,
  currentVersion: number,
  patch: P,
  labels: Record<keyof P & string, string>,
): { changes: Partial<P>; before: Partial<P>; fieldVersions: Record<string, number>; version: number } {
  if (baseVersion > currentVersion) throw new ApiError('CONFLICT', '修改所依据的版本比当前数据还新，请刷新后重试');
  const conflicts = Object.keys(patch).filter((f) => (fieldVersions[f] ?? 1) > baseVersion && current[f] !== patch[f]);
  if (conflicts.length > 0) {
    throw new ApiError('CONFLICT', `${conflicts.map((f) => labels[f as keyof P & string]).join('、')}已被他人修改，请刷新后核对再改`);
  }
  const changes: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  for (const [f, v] of Object.entries(patch)) {
    if (current[f] === v) continue;
    changes[f] = v;
    before[f] = current[f];
  }
  const version = Object.keys(changes).length > 0 ? currentVersion + 1 : currentVersion;
  const nextVersions = { ...fieldVersions };
  for (const f of Object.keys(changes)) nextVersions[f] = version;
  return { changes: changes as Partial<P>, before: before as Partial<P>, fieldVersions: nextVersions, version };
}
