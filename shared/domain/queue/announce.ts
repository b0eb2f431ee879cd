/**
 * What the hall hears: "请A012号到3号窗口办理", and "…重呼" on a recall. Spoken as a sequence of clip names
 * (digits, letters, words, chime), so any hall can drop in its own recorded set or dialect.
 */
export const VOICE_WORDS = ['请', '号', '到', '窗口', '办理', '重呼'] as const;
export const VOICE_CLIPS = ['chime', ...'0123456789'.split(''), ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''), ...VOICE_WORDS] as const;
export type VoiceClip = (typeof VOICE_CLIPS)[number];

const WORD_FILES: Readonly<Record<(typeof VOICE_WORDS)[number], string>> = {
  请: 'qing',
  号: 'hao',
  到: 'dao',
  窗口: 'chuangkou',
  办理: 'banli',
  重呼: 'chonghu',
};

/** The clip's file name in resources/voice (ASCII, so every file system and URL takes it). */
export function clipFile(clip: VoiceClip): string {
  const word = WORD_FILES[clip as keyof typeof WORD_FILES];
  return `${word ?? clip.toLowerCase()}.wav`;
}

export interface Announcement {
  ticketNo: string;
  windowNo: number;
  recall: boolean;
}

export function announcementText(a: Announcement): string {
  return `请${a.ticketNo}号到${a.windowNo}号窗口办理${a.recall ? '，重呼' : ''}`;
}

const spell = (text: string) => [...text.toUpperCase()].filter((ch): ch is VoiceClip => (VOICE_CLIPS as readonly string[]).includes(ch));

/** The clips of one announcement, chime first when wanted, repeated `repeat` times. */
export function announcementClips(a: Announcement, options: { chime: boolean; repeat: number }): VoiceClip[] {
  const once: VoiceClip[] = ['请', ...spell(a.ticketNo), '号', '到', ...spell(String(a.windowNo)), '号', '窗口', '办理'];
  if (a.recall) once.push('重呼');
  const spoken = Array.from({ length: Math.max(1, options.repeat) }, () => once).flat();
  return options.chime ? ['chime', ...spoken] : spoken;
}
