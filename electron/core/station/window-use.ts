import type { Database } from 'better-sqlite3';
import { HALL_DEVICE_LABELS, type HallDeviceKind } from '#shared/api/queue';
import { queueStore } from '../queue/queue-store';

/**
 * What still relies on a counter window: ticket categories served there, hall devices enrolled for it (its evaluator,
 * its counter PC) and tickets at or sent to it now. A window may be removed only when nothing does, or those tickets
 * would wait for a window that no longer calls and those devices would belong to none.
 */
export function windowUse(db: Database) {
  const queue = queueStore(db);
  const devices = db.prepare<[number], { name: string; kind: HallDeviceKind }>(
    'SELECT name, kind FROM hall_device WHERE window_no = ? AND revoked_at IS NULL ORDER BY created_at',
  );
  const tickets = db.prepare<[number, number], { n: number }>(
    `SELECT COUNT(*) AS n FROM ticket
      WHERE (window_no = ? AND status IN ('called', 'serving', 'held')) OR (directed_window = ? AND status = 'waiting')`,
  );
  /** The users of the window in words, one per kind; empty when it is free. */
  return (windowNo: number): string[] => {
    const categories = queue.settings().categories.filter((c) => c.windows.includes(windowNo));
    const onDevices = devices.all(windowNo);
    const { n } = tickets.get(windowNo, windowNo)!;
    return [
      categories.length > 0 && `号类${categories.map((c) => `“${c.name}（${c.code}）”`).join('')}（在“叫号设置”中改到其他窗口）`,
      onDevices.length > 0 &&
        `大厅设备${onDevices.map((d) => `“${d.name}”（${HALL_DEVICE_LABELS[d.kind]}）`).join('')}（在“大厅设备”中停用）`,
      n > 0 && `${n}个正在该窗口办理或转到该窗口的号码（办结后再删除）`,
    ].filter((x): x is string => typeof x === 'string');
  };
}
