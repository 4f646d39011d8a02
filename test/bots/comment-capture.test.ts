import { AuditLogModel } from '../../models/audit-log';
import { CaptureOutcomeModel } from '../../models/capture-outcome';
import { useTestDatabase } from '../support/database';
import { PAGE, eventually, settle, startBotWorld, type BotWorld } from './bots-harness';

const privateReplies = async (world: BotWorld, commentId: string) =>
  (await world.sim.control.sentMessages({ pageId: PAGE })).filter(
    (sent) => sent.recipient.comment_id === commentId,
  );

async function createCapture(world: BotWorld, postId: string, extra: Record<string, unknown> = {}) {
  const res = await world.admin.agent
    .post('/api/captures')
    .set(world.admin.csrf)
    .send({
      page: world.pageId,
      name: 'Price question',
      target: { kind: 'existing_post', postId },
      includeKeywords: ['price', 'prix'],
      privateReply: { text: 'Thanks! Our prices are in your inbox.' },
      publicReplies: ['Check your inbox!', 'Sent you a message!'],
      ...extra,
    });
  if (res.status !== 201) throw new Error(`capture not created: ${res.status} ${res.text}`);
  return res.body._id as string;
}

async function skipReasonOf(captureId: string, commentId: string) {
  const outcome = await eventually(() =>
    CaptureOutcomeModel.findOne({ capture: captureId, commentId }).lean(),
  );
  return outcome?.reason;
}

const DAY = 24 * 60 * 60 * 1000;

async function skippedCounters(world: BotWorld, captureId: string): Promise<Record<string, number>> {
  const res = await world.admin.agent.get(`/api/captures/${captureId}`);
  return (res.body as { counters: { skipped: Record<string, number> } }).counters.skipped;
}

/**
 * The comment was skipped `times` times for `reason`, as the capture's counters show (compared with `before`), and
 * each skip has its audit-log entry stating its basis.
 */
async function expectSkipped(
  world: BotWorld,
  captureId: string,
  commentId: string,
  reason: string,
  before: Record<string, number>,
  times = 1,
) {
  const outcomes = await eventually(async () => {
    const found = await CaptureOutcomeModel.find({ capture: captureId, commentId, reason }).lean();
    return found.length === times && found;
  });
  expect(outcomes.map((outcome) => outcome.result)).toEqual(Array(times).fill('skipped'));
  expect((await skippedCounters(world, captureId))[reason]).toBe((before[reason] ?? 0) + times);
  const audited = await AuditLogModel.find({
    action: 'capture.skipped',
    'object.id': commentId,
    'details.reason': reason,
    'details.captureId': captureId,
  }).lean();
  expect(audited).toHaveLength(times);
  for (const entry of audited) expect(entry.basis).toMatch(/\w{3,}/);
}

describe('comment capture', () => {
  useTestDatabase();
  let world: BotWorld;
  let postId: string;
  let captureId: string;

  beforeAll(async () => {
    world = await startBotWorld();
    await world.sim.control.addPerson({ id: 'jane', firstName: 'Jane', lastName: 'Doe' });
    await world.sim.control.addPerson({ id: 'omar', firstName: 'Omar', lastName: 'Ali' });
    postId = (await world.sim.control.createPost(PAGE, 'New shoes in store')).postId;
    captureId = await createCapture(world, postId);
  });
  afterAll(() => world.stop());

  const publicRepliesTo = async (commentId: string) =>
    (await world.sim.control.page(PAGE)).comments.filter(
      (comment) => comment.parentId === commentId && comment.byPage,
    );
  const newCommenter = async () => {
    const person = `p${Math.random().toString(36).slice(2, 8)}`;
    await world.sim.control.addPerson({ id: person, firstName: 'Pat', lastName: 'Lee' });
    return person;
  };

  it('a matching comment gets exactly one private reply and one public reply', async () => {
    const { commentId } = await world.sim.control.comment('jane', postId, 'What is the PRÎX?');
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(1);
    expect(await publicRepliesTo(commentId)).toHaveLength(1);
    expect(await skipReasonOf(captureId, commentId)).toBeNull();
    expect(await AuditLogModel.exists({ action: 'capture.replied', 'object.id': commentId })).not.toBeNull();
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('the same webhook delivered three times still gets one private reply and at most one public reply', async () => {
    await world.sim.control.setWebhook({ duplicateDeliveries: 2 });
    const { commentId } = await world.sim.control.comment('omar', postId, 'price please');
    await settle(world);
    await world.sim.control.setWebhook({ duplicateDeliveries: 0 });
    expect(await privateReplies(world, commentId)).toHaveLength(1);
    expect(await publicRepliesTo(commentId)).toHaveLength(1);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('a second comment by the same person on the same post gets no second reply', async () => {
    const before = await skippedCounters(world, captureId);
    const { commentId } = await world.sim.control.comment('jane', postId, 'and the price in red?');
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    await expectSkipped(world, captureId, commentId, 'already_replied_to_person', before);
  });

  it.each([
    ['a non-matching comment', 'Nice shoes', 'no_keyword_match'],
    ['a sensitive comment', 'price of this scam', 'sensitive_language'],
  ])('%s gets no reply, counted under its reason and audited with its basis', async (_name, text, reason) => {
    const before = await skippedCounters(world, captureId);
    const { commentId } = await world.sim.control.comment(await newCommenter(), postId, text);
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    await expectSkipped(world, captureId, commentId, reason, before);
  });

  it("the Page's own comment (its public reply) is never answered, counted and audited as own_comment", async () => {
    const before = await skippedCounters(world, captureId);
    const { commentId } = await world.sim.control.comment(await newCommenter(), postId, 'price?');
    await settle(world);
    const [publicReply] = await publicRepliesTo(commentId);
    if (!publicReply) throw new Error('no public reply to look at');
    expect(await privateReplies(world, publicReply.id)).toHaveLength(0);
    await expectSkipped(world, captureId, publicReply.id, 'own_comment', before);
  });

  it('an edit and a removal get no reply, each counted and audited as not_a_new_comment', async () => {
    const { commentId } = await world.sim.control.comment(await newCommenter(), postId, 'Nice');
    await settle(world);
    const before = await skippedCounters(world, captureId);
    await world.sim.control.editComment(commentId, 'What is the price?');
    await world.sim.control.removeComment(commentId);
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    await expectSkipped(world, captureId, commentId, 'not_a_new_comment', before, 2);
  });

  it('a comment older than 7 days when Pagewire reads it gets no reply, counted and audited as too_old', async () => {
    const before = await skippedCounters(world, captureId);
    // Only Pagewire's clock moves first: the comment Meta sends now is 8 days old by the time it is read.
    world.app.clock.advance(8 * DAY);
    let commentId = '';
    try {
      commentId = (await world.sim.control.comment(await newCommenter(), postId, 'price?')).commentId;
      await settle(world);
    } finally {
      await world.sim.control.advanceTime(8 * DAY);
    }
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    await expectSkipped(world, captureId, commentId, 'too_old', before);
  });

  it('counts comments seen, replies and skips by reason', async () => {
    const res = await world.admin.agent.get(`/api/captures/${captureId}`);
    expect(res.status).toBe(200);
    expect(res.body.counters).toMatchObject({
      repliedPrivately: 3,
      repliedPublicly: 3,
      skipped: expect.objectContaining({ already_replied_to_person: 1, sensitive_language: 1 }),
    });
  });
});
