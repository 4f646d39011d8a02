/**
 * The order in which conversations' lanes get their turns. Turns alternate between the lane with the fewest events
 * waiting (the earliest queued of those) and the lane queued earliest: a conversation's new message waits for at most
 * one event of a backlog, however many conversations burst in it, and every lane still has a turn within two rounds.
 */
export function createLaneTurns(eventsIn: (key: string) => number) {
  const queue: string[] = [];
  let fewestNext = true;
  function fewestAt(): number {
    let at = 0;
    let fewest = Infinity;
    for (let i = 0; i < queue.length && fewest > 1; i++) {
      const events = eventsIn(queue[i] as string);
      if (events < fewest) [at, fewest] = [i, events];
    }
    return at;
  }
  return {
    get waiting(): number {
      return queue.length;
    },
    add(key: string): void {
      queue.push(key);
    },
    next(): string | undefined {
      if (queue.length === 0) return undefined;
      const at = fewestNext ? fewestAt() : 0;
      fewestNext = !fewestNext;
      return queue.splice(at, 1)[0];
    },
  };
}
