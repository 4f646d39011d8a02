/** Real-time timers the simulator owns (receipts, held requests), so stop() and reset() can cancel them. */
export class TimerSet {
  private readonly handles = new Set<NodeJS.Timeout>();

  after(ms: number, run: () => void): void {
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      run();
    }, ms);
    this.handles.add(handle);
  }

  clear(): void {
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}

/**
 * A slowed Graph request's wait. It does not keep the process alive: the request's open connection does, and once
 * the simulator has stopped (its connections closed) the wait has nobody to answer.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
