import { ApiError } from '#shared/api/errors';
import type { Handlers } from '../api/handlers';
import type { CommandRunner } from '../store/command';
import type { StationQueries } from './station';

export function stationHandlers(deps: {
  station: StationQueries;
  commands: CommandRunner;
}): Pick<Handlers, 'station.get' | 'station.update'> {
  const { station, commands } = deps;
  const current = () => {
    const s = station.get();
    if (!s) throw new ApiError('NOT_FOUND', '本机尚未设置站点信息');
    return s;
  };
  return {
    'station.get': current,
    'station.update'(next, { actor }) {
      return commands.run(actor, () => {
        const before = current();
        station.save(next);
        return {
          result: next,
          audit: { action: 'station.update', class: 'key', entityType: 'station', entityId: next.code, before, after: next },
          outbox: { type: 'station.updated', payload: next },
        };
      });
    },
  };
}
