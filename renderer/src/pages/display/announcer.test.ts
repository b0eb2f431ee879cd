import { describe, expect, it } from 'vitest';
import { createAnnouncer } from './announcer';

describe('the announcement queue', () => {
  it('speaks calls one at a time, in the order they came, even when they arrive together', async () => {
    const spoken: string[] = [];
    let speaking = 0;
    let overlap = false;
    const releases: (() => void)[] = [];
    const announcer = createAnnouncer((_clips, text) => {
      speaking += 1;
      if (speaking > 1) overlap = true;
      spoken.push(text);
      return new Promise<void>((done) =>
        releases.push(() => {
          speaking -= 1;
          done();
        }),
      );
    });
    const voice = { chime: false, repeat: 1 };
    const all = [
      announcer.announce({ ticketNo: 'A001', windowNo: 1, recall: false }, voice),
      announcer.announce({ ticketNo: 'B001', windowNo: 2, recall: false }, voice),
      announcer.announce({ ticketNo: 'A001', windowNo: 1, recall: true }, voice),
    ];
    // Release each announcement once it has started: the next one must not start before.
    for (let i = 0; i < 3; i += 1) {
      await expect.poll(() => releases.length).toBe(i + 1);
      expect(spoken).toHaveLength(i + 1);
      releases[i]!();
    }
    await Promise.all(all);
    expect(overlap).toBe(false);
    expect(spoken).toEqual(['请A001号到1号窗口办理', '请B001号到2号窗口办理', '请A001号到1号窗口办理，重呼']);
  });

  it('keeps going after an announcement fails, and repeats as set', async () => {
    const spoken: string[][] = [];
    const announcer = createAnnouncer(async (clips) => {
      spoken.push(clips);
      if (spoken.length === 1) throw new Error('audio blocked');
    });
    void announcer.announce({ ticketNo: 'A001', windowNo: 1, recall: false }, { chime: true, repeat: 1 });
    await announcer.announce({ ticketNo: 'A002', windowNo: 3, recall: false }, { chime: false, repeat: 2 });
    expect(spoken[0]![0]).toBe('chime');
    expect(spoken[1]!.filter((c) => c === '请')).toHaveLength(2);
  });
});
