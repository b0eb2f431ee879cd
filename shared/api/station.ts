import { z } from 'zod';
import { empty, method } from './define';

/** Business dates and working hours are the station's; every station of this product keeps China's time. */
export const STATION_TIME_ZONE = 'Asia/Shanghai';

/** Counter windows are numbered 1–99 within a station. */
export const windowNoSchema = z.number().int().min(1, '窗口号须为1至99').max(99, '窗口号须为1至99');

export const stationSchema = z.object({
  code: z.string().regex(/^\d{6,12}$/, '站点编码须为6至12位数字'),
  name: z.string().trim().min(2, '站点名称至少2个字').max(40, '站点名称不超过40个字'),
  regionCode: z.string().regex(/^\d{6}$/, '行政区划代码须为6位数字'),
  windows: z
    .array(windowNoSchema)
    .min(1, '至少设置一个窗口')
    .max(60)
    .refine((w) => new Set(w).size === w.length, '窗口号不能重复'),
  idleLockMinutes: z.number().int().min(1, '锁屏时间至少1分钟').max(120, '锁屏时间不超过120分钟'),
});
export type Station = z.infer<typeof stationSchema>;

const windowParams = z.object({ windowNo: windowNoSchema }).strict();

/**
 * The station settings page changes one thing at a time, each its own audited command; the station's code and region
 * are not among them (the central office sets them at enrolment). Removing a window something still uses is refused.
 */
export const stationMethods = {
  /** Station name and windows, shown on the login page before anyone logs in. */
  'station.get': method({ params: empty, result: stationSchema, access: 'public' }),
  'station.update': method({ params: stationSchema, result: stationSchema, access: ['admin'] }),
  'station.rename': method({ params: stationSchema.pick({ name: true }).strict(), result: stationSchema, access: ['admin'] }),
  'station.addWindow': method({ params: windowParams, result: stationSchema, access: ['admin'] }),
  'station.removeWindow': method({ params: windowParams, result: stationSchema, access: ['admin'] }),
  'station.setIdleLock': method({
    params: stationSchema.pick({ idleLockMinutes: true }).strict(),
    result: stationSchema,
    access: ['admin'],
  }),
} as const;
