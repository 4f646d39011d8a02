import { groupCommit } from '../../../server/platform/group-commit';

/** A write whose answer the test releases by hand, recording the inputs of each write. */
function heldWrites() {
  const writes: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (inputs: number[]) => {
    writes.push(inputs);
    return new Promise<number[]>((resolve) => releases.push(() => resolve(inputs.map((n) => n * 10))));
  };
  return { writes, write, releaseNext: () => releases.shift()?.() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  it('sends the first call at once and the calls that come while it is written together, each with its answer', async () => {
    const held = heldWrites();
    const store = groupCommit(held.write);
    const first = store(1);
    await settle();
    expect(held.writes).toEqual([[1]]);
    const later = [store(2), store(3), store(4)];
    await settle();
    expect(held.writes).toEqual([[1]]);
    held.releaseNext();
    await expect(first).resolves.toBe(10);
    await settle();
    expect(held.writes).toEqual([[1], [2, 3, 4]]);
    held.releaseNext();
    await expect(Promise.all(later)).resolves.toEqual([20, 30, 40]);
  });

  it('fails only the calls of the write that failed, and goes on with the next', async () => {
    let calls = 0;
    const store = groupCommit(async (inputs: string[]) => {
      calls += 1;
      await settle();
      if (calls === 1) throw new Error('database gone');
      return inputs.map((input) => input.toUpperCase());
    });
    const failing = store('a');
    const next = store('b');
    await expect(failing).rejects.toThrow('database gone');
    await expect(next).resolves.toBe('B');
    await expect(store('c')).resolves.toBe('C');
  });
});
