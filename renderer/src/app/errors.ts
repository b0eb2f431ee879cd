import { ApiError } from '#shared/api/errors';

/** The Chinese message to show for any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '操作失败，请重试';
}
