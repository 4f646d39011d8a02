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

  it('a matching comment gets exactly one private reply and one public reply', async () => {
    const { commentId } = await world.sim.control.comment('jane', postId, 'What is the PRÎX?');
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(1);
    const page = await world.sim.control.page(PAGE);
    const publicReplies = page.comments.filter((comment) => comment.parentId === commentId && comment.byPage);
    expect(publicReplies).toHaveLength(1);
    expect(await skipReasonOf(captureId, commentId)).toBeNull();
    expect(await AuditLogModel.exists({ action: 'capture.replied', 'object.id': commentId })).not.toBeNull();
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('the same webhook delivered three times still gets one private reply', async () => {
    await world.sim.control.setWebhook({ duplicateDeliveries: 2 });
    const { commentId } = await world.sim.control.comment('omar', postId, 'price please');
    await settle(world);
    await world.sim.control.setWebhook({ duplicateDeliveries: 0 });
    expect(await privateReplies(world, commentId)).toHaveLength(1);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('a second comment by the same person on the same post gets no second reply', async () => {
    const { commentId } = await world.sim.control.comment('jane', postId, 'and the price in red?');
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    expect(await skipReasonOf(captureId, commentId)).toBe('already_replied_to_person');
  });

  it.each([
    ['a non-matching comment', 'Nice shoes', 'no_keyword_match'],
    ['a sensitive comment', 'price of this scam', 'sensitive_language'],
  ])('%s gets no reply, with its reason recorded', async (_name, text, reason) => {
    const person = `p${Math.random().toString(36).slice(2, 8)}`;
    await world.sim.control.addPerson({ id: person, firstName: 'Pat', lastName: 'Lee' });
    const { commentId } = await world.sim.control.comment(person, postId, text);
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    expect(await skipReasonOf(captureId, commentId)).toBe(reason);
    expect(await AuditLogModel.exists({ action: 'capture.skipped', 'object.id': commentId })).not.toBeNull();
  });

  it("the Page's public replies (its own comments) are never answered", async () => {
    const own = await CaptureOutcomeModel.find({ capture: captureId, reason: 'own_comment' }).lean();
    expect(own.length).toBeGreaterThanOrEqual(1);
    const sent = await world.sim.control.sentMessages({ pageId: PAGE });
    expect(sent.filter((message) => message.recipient.comment_id)).toHaveLength(2);
  });

  it('an edit and a removal get no reply, each with its reason', async () => {
    await world.sim.control.addPerson({ id: 'edith', firstName: 'Edith', lastName: 'Ng' });
    const { commentId } = await world.sim.control.comment('edith', postId, 'Nice');
    await world.sim.control.editComment(commentId, 'What is the price?');
    await world.sim.control.removeComment(commentId);
    await settle(world);
    expect(await privateReplies(world, commentId)).toHaveLength(0);
    const reasons = (await CaptureOutcomeModel.find({ capture: captureId, commentId }).lean()).map(
      (o) => o.reason,
    );
    expect(reasons.sort()).toEqual(['no_keyword_match', 'not_a_new_comment', 'not_a_new_comment']);
  });

  it('counts comments seen, replies and skips by reason', async () => {
    const res = await world.admin.agent.get(`/api/captures/${captureId}`);
    expect(res.status).toBe(200);
    expect(res.body.counters).toMatchObject({
      repliedPrivately: 2,
      repliedPublicly: 2,
      skipped: expect.objectContaining({ already_replied_to_person: 1, sensitive_language: 1 }),
    });
  });
});
