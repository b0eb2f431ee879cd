import { announcementClips, announcementText, clipFile, type Announcement, type VoiceClip } from '#shared/domain/queue/announce';

export interface VoiceOptions {
  chime: boolean;
  repeat: number;
}

/** Speaks one announcement and settles when it has finished. */
export type Speak = (clips: VoiceClip[], text: string) => Promise<void>;

/**
 * The hall's announcement queue: calls are spoken one after another, in order, and never over each other, however
 * fast they come in.
 */
export function createAnnouncer(speak: Speak) {
  let tail: Promise<void> = Promise.resolve();
  return {
    announce(a: Announcement, options: VoiceOptions): Promise<void> {
      const clips = announcementClips(a, options);
      const text = Array.from({ length: options.repeat }, () => announcementText(a)).join('。');
      tail = tail.then(() => speak(clips, text)).catch(() => undefined);
      return tail;
    },
  };
}

const clipUrl = (clip: VoiceClip) => new URL(`../../../../resources/voice/${clipFile(clip)}`, import.meta.url).href;

function playClip(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const audio = new Audio(url);
    audio.onended = () => resolve();
    audio.onerror = () => reject(new Error(`clip failed: ${url}`));
    audio.play().catch(reject);
  });
}

/** The system's speech voice: only when the bundled clips cannot play (missing clip, audio blocked). */
function speakText(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!('speechSynthesis' in window)) return resolve();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = 'zh-CN';
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    window.speechSynthesis.speak(utterance);
  });
}

/** Plays the bundled clips (resources/voice) in sequence, falling back to speech synthesis for the whole call. */
export const speakWithClips: Speak = async (clips, text) => {
  try {
    for (const clip of clips) await playClip(clipUrl(clip));
  } catch {
    await speakText(text);
  }
};
