import mongoose from 'mongoose';
import { ComplianceTallyModel } from '../../../models/compliance-tally';
import { createComplianceTallies, type TallyEntry } from '../../../server/compliance/tallies';
import type { Clock } from '../../../server/platform/clock';
import { createLogger } from '../../../server/platform/logger';
import { useTestDatabase } from '../../support/database';

describe('the compliance tallies', () => {
  useTestDatabase();
  const logger = createLogger({ level: 'silent' });
  const workspaceId = new mongoose.Types.ObjectId();
  const pageId = new mongoose.Types.ObjectId();
  const optIn = (description: string): TallyEntry => ({
    workspaceId,
    pageId,
    measure: 'opt_in',
    reason: 'message',
    source: 'person',
    description,
  });
  const countsOf = async () =>
    Object.fromEntries(
      (await ComplianceTallyModel.find({ workspace: workspaceId }).lean()).map((tally) => [
        `${tally.day} ${tally.measure} ${tally.reason}`,
        tally.count,
      ]),
    );

  afterEach(() => ComplianceTallyModel.deleteMany({ workspace: workspaceId }));

  it('a burst of counts on a few tallies loses none, and the last description stands', async () => {
    const tallies = createComplianceTallies({ now: () => new Date('2026-12-05T10:00:00Z') }, logger);
    for (let i = 0; i < 120; i += 1) {
      tallies.countAfter(optIn(`opt-in ${i}`));
      if (i % 3 === 0)
        tallies.countAfter({ ...optIn('refused'), measure: 'refusal', reason: 'policy:x', count: 2 });
    }
    await tallies.settled();
    expect(await countsOf()).toEqual({
      '2026-12-05 opt_in message': 120,
      '2026-12-05 refusal policy:x': 80,
    });
    const [optIns] = await ComplianceTallyModel.find({ workspace: workspaceId, measure: 'opt_in' }).lean();
    expect(optIns?.description).toBe('opt-in 119');
  });

  it('a count belongs to the day it was made, even when one write carries counts of two days', async () => {
    let now = new Date('2026-12-05T23:59:59.990Z');
    const clock: Clock = { now: () => now };
    const tallies = createComplianceTallies(clock, logger);
    // The first goes at once; the next three wait for it and go together, across midnight.
    tallies.countAfter(optIn('first'));
    tallies.countAfter(optIn('before midnight'));
    now = new Date('2026-12-06T00:00:00.010Z');
    tallies.countAfter(optIn('after midnight'));
    tallies.countAfter(optIn('after midnight'));
    await tallies.settled();
    expect(await countsOf()).toEqual({
      '2026-12-05 opt_in message': 2,
      '2026-12-06 opt_in message': 2,
    });
  });
});
