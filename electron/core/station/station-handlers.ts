import { stationSchema, type Station } from '#shared/api/station';
import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { Actor, CommandRunner } from '../store/command';
import type { StationQueries } from './station';

export function stationHandlers(deps: {
  station: StationQueries;
  commands: CommandRunner;
}): Pick<
  Handlers,
  'station.get' | 'station.update' | 'station.rename' | 'station.addWindow' | 'station.removeWindow' | 'station.setIdleLock'
> {
  const { station, commands } = deps;
  const current = () => {
    const s = station.get();
    if (!s) throw new ApiError('NOT_FOUND', '本机尚未设置站点信息');
    return s;
  };

  /** A window goes only when nothing relies on it: refused with everything that does, so the admin can free it. */
  const assertRemovable = (windowNo: number) => {
    const users = station.windowUsers(windowNo);
    if (users.length > 0) throw new ApiError('CONFLICT', `${windowNo}号窗口仍在使用，不能删除：${users.join('；')}`);
  };

  /**
   * Every change is a whole new station record, checked against the same schema as station.update, audited with its
   * own action and sent to the central office as the record it now is.
   */
  const change = (actor: Actor, action: string, edit: (s: Station) => Station) =>
    commands.run(actor, () => {
      const before = current();
      const checked = stationSchema.safeParse(edit(before));
      if (!checked.success) throw new ApiError('VALIDATION', checked.error.issues[0]!.message);
      const next = checked.data;
      before.windows.filter((w) => !next.windows.includes(w)).forEach(assertRemovable);
      station.save(next);
      return {
        result: next,
        audit: { action, class: 'key', entityType: 'station', entityId: next.code, before, after: next },
        outbox: { type: 'station.updated', payload: next },
      };
    });

  return {
    'station.get': current,
    'station.update': (next, { actor }) => change(actor, 'station.update', () => next),
    'station.rename': ({ name }, { actor }) => change(actor, 'station.rename', (s) => ({ ...s, name })),
    'station.addWindow': ({ windowNo }, { actor }) =>
      change(actor, 'station.window_add', (s) => {
        if (s.windows.includes(windowNo)) throw new ApiError('CONFLICT', `已有${windowNo}号窗口`);
        return { ...s, windows: [...s.windows, windowNo].sort((a, b) => a - b) };
      }),
    'station.removeWindow': ({ windowNo }, { actor }) =>
      change(actor, 'station.window_remove', (s) => {
        if (!s.windows.includes(windowNo)) throw new ApiError('NOT_FOUND', `本站没有${windowNo}号窗口`);
        return { ...s, windows: s.windows.filter((w) => w !== windowNo) };
      }),
    'station.setIdleLock': ({ idleLockMinutes }, { actor }) => change(actor, 'station.idle_lock', (s) => ({ ...s, idleLockMinutes })),
  };
}
