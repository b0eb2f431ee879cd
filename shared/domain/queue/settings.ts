import { z } from 'zod';
import { DEFAULT_CATEGORIES, ticketCategorySchema } from './categories';

/** The hall's queue settings: its categories and the rules every window calls by. */
export const queueSettingsSchema = z
  .object({
    categories: z
      .array(ticketCategorySchema)
      .min(1, '至少设置一个号类')
      .max(20)
      .refine((c) => new Set(c.map((x) => x.code)).size === c.length, '号类前缀不能重复'),
    /** Minutes after which a waiting ticket is called before the ratio decides; null: never. */
    waitOverrideMinutes: z.number().int().min(5).max(480).nullable(),
    /** Calls and seconds since the last call before a ticket may be marked absent (过号). */
    recallMinCalls: z.number().int().min(1).max(5),
    recallMinGapSeconds: z.number().int().min(0).max(600),
    /** At the first action of a new business day: unfinished tickets carried over (renumbered, place kept) or closed. */
    carryOver: z.boolean(),
    /** The wait statistics report the share of tickets waiting longer than this. */
    waitTargetMinutes: z.number().int().min(1).max(240),
    /** Voice: how many times each call is spoken, and whether a chime goes first. */
    voiceRepeat: z.number().int().min(1).max(3),
    voiceChime: z.boolean(),
  })
  .strict();
export type QueueSettings = z.infer<typeof queueSettingsSchema>;

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  categories: [...DEFAULT_CATEGORIES],
  waitOverrideMinutes: 30,
  recallMinCalls: 2,
  recallMinGapSeconds: 30,
  carryOver: false,
  waitTargetMinutes: 20,
  voiceRepeat: 2,
  voiceChime: true,
};
