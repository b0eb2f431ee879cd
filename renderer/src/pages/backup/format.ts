/** File sizes and instants as the backup pages show them. */
export const size = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
export const time = (iso: string) => new Date(iso).toLocaleString('zh-CN');
