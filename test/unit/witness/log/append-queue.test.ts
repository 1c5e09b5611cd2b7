/**
 * Group commit: submissions made in one turn of the event loop share a commit, in order, up to
 * the group limit; a failed commit rejects exactly the submissions in it.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from '../../../../ceremony/witness/log/append-queue.js';

describe('GroupCommitQueue', () => {
  it('groups concurrent submissions, in order, at most maxItems per group', async () => {
    const groups: number[][] = [];
    let next = 0;
    const q = new GroupCommitQueue<number>((items) => {
      groups.push([...items]);
      const first = next;
      next += items.length;
      return first;
    }, 5);
    const firsts = await Promise.all([
      q.submit([1, 2]),
      q.submit([3]),
      q.submit([4, 5]),
      q.submit([6, 7, 8, 9, 10, 11]),
    ]);
    expect(firsts).toEqual([0, 2, 3, 5]);
    expect(groups).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    // A later turn starts a new group.
    expect(await q.submit([12])).toBe(11);
    expect(groups).toHaveLength(3);
  });

  it('rejects every submission of a failed group and goes on with the next', async () => {
    let calls = 0;
    const q = new GroupCommitQueue<string>((items) => {
      calls++;
      if (items.includes('bad')) throw new Error('disk full');
      return 7;
    }, 2);
    const r = await Promise.allSettled([q.submit(['a']), q.submit(['bad']), q.submit(['c'])]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(calls).toBe(2);
  });

  it('rejectAll empties the queue', async () => {
    const q = new GroupCommitQueue<number>(() => 0, 10);
    const p = q.submit([1]);
    expect(q.pending).toBe(1);
    q.rejectAll(new Error('closed'));
    await expect(p).rejects.toThrow('closed');
    expect(q.pending).toBe(0);
  });
});
