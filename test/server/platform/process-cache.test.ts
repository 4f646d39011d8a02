import { Types } from 'mongoose';
import { PageModel } from '../../../models/page';
import { createProcessCache } from '../../../server/platform/process-cache';
import { useTestDatabase } from '../../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keeping live-path reads in the process', () => {
  useTestDatabase();
  let fbPageId = 0;

  /** A cached "name of the connected Page" read, counting its database reads. */
  async function cachedPageName(ttlMs = 60_000) {
    const id = String(9000 + (fbPageId += 1));
    await PageModel.create({
      workspace: new Types.ObjectId(),
      fbPageId: id,
      name: 'Before',
      connectedBy: new Types.ObjectId(),
      connectedAt: new Date(),
    });
    const cache = createProcessCache<string>({ ttlMs, max: 100, forgetOnWritesTo: ['pages'] });
    let reads = 0;
    const read = () =>
      cache.get(id, async () => {
        reads += 1;
        return (await PageModel.findOne({ fbPageId: id }).lean())?.name ?? 'none';
      });
    return { id, read, reads: () => reads };
  }

  it('reads the database once for callers that ask at the same time or later', async () => {
    const page = await cachedPageName();
    expect(await Promise.all([page.read(), page.read(), page.read()])).toEqual([
      'Before',
      'Before',
      'Before',
    ]);
    expect(await page.read()).toBe('Before');
    expect(page.reads()).toBe(1);
  });

  it("sees this process's writes at once, whichever way the model writes", async () => {
    const page = await cachedPageName();
    await page.read();
    await PageModel.updateOne({ fbPageId: page.id }, { $set: { name: 'Renamed' } });
    expect(await page.read()).toBe('Renamed');
    const doc = await PageModel.findOne({ fbPageId: page.id });
    doc!.name = 'Saved';
    await doc!.save();
    expect(await page.read()).toBe('Saved');
    await PageModel.deleteOne({ fbPageId: page.id });
    expect(await page.read()).toBe('none');
  });

  it("sees another process's write once the lifetime has passed, not before", async () => {
    const page = await cachedPageName(300);
    await page.read();
    // A write this process's models do not see, as another process's would be.
    await PageModel.collection.updateOne({ fbPageId: page.id }, { $set: { name: 'Elsewhere' } });
    expect(await page.read()).toBe('Before');
    await sleep(400);
    expect(await page.read()).toBe('Elsewhere');
  });

  it('keeps no failed read', async () => {
    const cache = createProcessCache<string>({ ttlMs: 60_000, max: 10, forgetOnWritesTo: [] });
    await expect(cache.get('k', () => Promise.reject(new Error('database away')))).rejects.toThrow(
      'database away',
    );
    expect(await cache.get('k', async () => 'answered')).toBe('answered');
  });
});
