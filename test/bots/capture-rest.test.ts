import { defaultSensitiveWords } from '../../models/capture';
import { CaptureOutcomeModel } from '../../models/capture-outcome';
import { useTestDatabase } from '../support/database';
import { newPerson } from './bot-fixtures';
import { PAGE, eventually, settle, startBotWorld, type BotWorld } from './bots-harness';

describe('captures over REST', () => {
  useTestDatabase();
  let world: BotWorld;

  beforeAll(async () => {
    world = await startBotWorld();
  });
  afterAll(() => world.stop());

  const send = (method: 'post' | 'patch' | 'delete', path: string, body?: object) =>
    world.admin.agent[method](path).set(world.admin.csrf).send(body);
  const privateRepliesTo = async (commentId: string) =>
    (await world.sim.control.sentMessages({ pageId: PAGE })).filter(
      (sent) => sent.recipient.comment_id === commentId,
    );
  const comments = async (postId: string, text: string) => {
    const person = await newPerson(world, 'Cora');
    const { commentId } = await world.sim.control.comment(person, postId, text);
    await settle(world);
    return commentId;
  };
  const existingPostCapture = async (includeKeywords: string[]) => {
    const { postId } = await world.sim.control.createPost(PAGE, `Boots ${Math.random()}`);
    const res = await send('post', '/api/captures', {
      page: world.pageId,
      name: 'Boots',
      target: { kind: 'existing_post', postId },
      includeKeywords,
      privateReply: { text: 'Boots are in your inbox.' },
    });
    expect(res.status).toBe(201);
    return { postId, captureId: res.body._id as string };
  };

  it('a new_post capture publishes its post as the Page and answers the comments on it', async () => {
    const post = {
      message: 'Spring collection is here! Comment "price" to get the list.',
      link: 'https://shop.example.com/spring',
    };
    const res = await send('post', '/api/captures', {
      page: world.pageId,
      name: 'Spring',
      target: { kind: 'new_post', post },
      includeKeywords: ['price'],
      privateReply: { text: 'Here is the spring price list.' },
    });
    expect(res.status).toBe(201);
    const postId = res.body.target.postId as string;
    expect(postId).toMatch(new RegExp(`^${PAGE}_`));
    expect(res.body.target).toMatchObject({ kind: 'new_post', post });
    const published = (await world.sim.control.page(PAGE)).posts.find((candidate) => candidate.id === postId);
    expect(published).toMatchObject({ message: post.message, link: post.link });

    const commentId = await comments(postId, 'price?');
    expect(await privateRepliesTo(commentId)).toHaveLength(1);
    expect(await world.sim.control.violations()).toEqual([]);
  });

  it('the Page’s recent posts are listed newest first through Meta, for a capture to pick one', async () => {
    const older = await world.sim.control.createPost(PAGE, 'Winter boots, last sizes');
    await world.sim.control.advanceTime(60_000);
    const newer = await world.sim.control.createPost(PAGE, 'Spring sandals are in');
    const res = await world.admin.agent.get(`/api/captures/posts/${world.pageId}`);
    expect(res.status).toBe(200);
    const posts = res.body.data as { id: string; message: string | null; createdAt: string }[];
    const ids = posts.map((post) => post.id);
    expect(ids.indexOf(newer.postId)).toBeLessThan(ids.indexOf(older.postId));
    expect(posts.find((post) => post.id === newer.postId)).toEqual({
      id: newer.postId,
      message: 'Spring sandals are in',
      createdAt: expect.any(String),
      permalinkUrl: expect.stringMatching(/^https:/),
    });

    expect((await world.admin.agent.get('/api/captures/posts/nope')).status).toBe(404);
    expect((await world.admin.agent.get('/api/captures/posts/000000000000000000000000')).status).toBe(404);
  });

  it('Meta refusing to list the posts answers 502 with its reason, never a 500', async () => {
    await world.sim.control.setFaults({ next: ['server_error'], appliesTo: 'all' });
    try {
      const res = await world.admin.agent.get(`/api/captures/posts/${world.pageId}`);
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.reason).toEqual(expect.any(String));
    } finally {
      await world.sim.control.setFaults({ next: [], appliesTo: 'messages' });
    }
  });

  it('the outcome log lists every comment with why, newest first, a page at a time', async () => {
    const { postId, captureId } = await existingPostCapture(['price']);
    const replied = await comments(postId, 'price please?');
    const unmatched = await comments(postId, 'nice boots');
    const sensitive = await comments(postId, 'price? this shop is a scam');

    const first = await world.admin.agent.get(`/api/captures/${captureId}/outcomes?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      {
        id: expect.any(String),
        captureId,
        commentId: sensitive,
        authorName: 'Cora Tester',
        text: 'price? this shop is a scam',
        result: 'skipped',
        reason: 'sensitive_language',
        basis: expect.stringContaining('sensitive language'),
        at: expect.any(String),
      },
      expect.objectContaining({ commentId: unmatched, result: 'skipped', reason: 'no_keyword_match' }),
    ]);
    expect(first.body.nextCursor).toBe(first.body.data[1].id);
    const rest = await world.admin.agent.get(
      `/api/captures/${captureId}/outcomes?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body).toEqual({
      data: [
        expect.objectContaining({
          commentId: replied,
          result: 'replied',
          reason: null,
          basis: expect.stringMatching(/Private reply sent/),
        }),
      ],
      nextCursor: null,
    });
    const capture = await world.admin.agent.get(`/api/captures/${captureId}`);
    expect(capture.body.counters).toEqual({
      commentsSeen: 3,
      repliedPrivately: 1,
      repliedPublicly: 0,
      skipped: { no_keyword_match: 1, sensitive_language: 1 },
    });
  });

  it.each([
    ['a limit of 0', 'limit=0', 400],
    ['a limit over 200', 'limit=201', 400],
    ['a cursor that is not an id', 'cursor=nope', 400],
    ['an unknown parameter', 'order=asc', 400],
  ])('the outcome log refuses %s with a 400 problem', async (_name, query, status) => {
    const { captureId } = await existingPostCapture(['price']);
    const res = await world.admin.agent.get(`/api/captures/${captureId}/outcomes?${query}`);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a comment’s outcome reaches the Page’s automation room live', async () => {
    const { postId, captureId } = await existingPostCapture(['price']);
    const socket = await world.app.socketFor(world.admin);
    const received: { captureId: string; outcome: { commentId: string; result: string } }[] = [];
    socket.on('capture:outcome', (event) => received.push(event));
    const commentId = await comments(postId, 'price?');
    await eventually(async () => received.length > 0);
    expect(received).toEqual([
      expect.objectContaining({
        pageId: world.pageId,
        captureId,
        outcome: expect.objectContaining({ commentId, result: 'replied' }),
      }),
    ]);
    socket.disconnect();
  });

  it('PATCH changes what a capture answers, and its target cannot be changed', async () => {
    const { postId, captureId } = await existingPostCapture(['price']);
    const changed = await send('patch', `/api/captures/${captureId}`, {
      includeKeywords: ['size'],
      privateReply: { text: 'Sizes 36 to 46.' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      includeKeywords: ['size'],
      privateReply: { text: 'Sizes 36 to 46.' },
    });

    const aboutPrice = await comments(postId, 'price?');
    expect(await privateRepliesTo(aboutPrice)).toHaveLength(0);
    const aboutSize = await comments(postId, 'which size?');
    const [reply] = await privateRepliesTo(aboutSize);
    expect(reply?.message?.text).toBe('Sizes 36 to 46.');
    // Who changed what a campaign answers is in the audit log, beside who created it.
    const audit = await world.admin.agent.get('/api/audit').query({ objectId: captureId });
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual([
      'capture.changed',
      'capture.created',
    ]);
    expect(audit.body.data[0]).toMatchObject({ details: { changed: ['includeKeywords', 'privateReply'] } });

    const retarget = await send('patch', `/api/captures/${captureId}`, { target: { kind: 'any_post' } });
    expect(retarget.status).toBe(400);
    expect(retarget.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await world.admin.agent.get(`/api/captures/${captureId}`)).body.target).toMatchObject({
      kind: 'existing_post',
      postId,
    });
  });

  it('sensitive words set to null are Pagewire’s list again, on a new capture and on an edit', async () => {
    const { captureId } = await existingPostCapture([]);
    const own = await send('patch', `/api/captures/${captureId}`, { sensitiveWords: ['refund'] });
    expect(own.status).toBe(200);
    expect(own.body.sensitiveWords).toEqual(['refund']);
    const reset = await send('patch', `/api/captures/${captureId}`, { sensitiveWords: null });
    expect(reset.status).toBe(200);
    expect(reset.body.sensitiveWords).toEqual(defaultSensitiveWords);

    const created = await send('post', '/api/captures', {
      page: world.pageId,
      name: 'Any post',
      target: { kind: 'any_post' },
      sensitiveWords: null,
      privateReply: { text: 'Thanks for your comment.' },
    });
    expect(created.status).toBe(201);
    expect(created.body.sensitiveWords).toEqual(defaultSensitiveWords);
    await send('delete', `/api/captures/${created.body._id as string}`);
  });

  it('DELETE removes a capture: it is gone from the API and answers no further comment', async () => {
    const { postId, captureId } = await existingPostCapture(['price']);
    expect((await send('delete', `/api/captures/${captureId}`)).status).toBe(204);
    expect((await world.admin.agent.get(`/api/captures/${captureId}`)).status).toBe(404);
    const list = (await world.admin.agent.get('/api/captures')).body.data as { _id: string }[];
    expect(list.map((capture) => capture._id)).not.toContain(captureId);

    const commentId = await comments(postId, 'price?');
    expect(await privateRepliesTo(commentId)).toHaveLength(0);
    expect(await CaptureOutcomeModel.exists({ capture: captureId })).toBeNull();
    expect((await send('delete', `/api/captures/${captureId}`)).status).toBe(404);
  });

  it('an agent can neither read, change nor delete a capture', async () => {
    const { captureId } = await existingPostCapture(['price']);
    const invitation = await send('post', '/api/invitations', { role: 'agent' });
    const carol = await world.app.login('1003', { invitationUrl: invitation.body.url as string });
    expect(
      (await carol.agent.patch(`/api/captures/${captureId}`).set(carol.csrf).send({ active: false })).status,
    ).toBe(403);
    expect((await carol.agent.delete(`/api/captures/${captureId}`).set(carol.csrf)).status).toBe(403);
    expect((await carol.agent.get(`/api/captures/${captureId}`)).status).toBe(403);
    expect((await carol.agent.get('/api/captures')).status).toBe(403);
    expect((await carol.agent.get(`/api/captures/posts/${world.pageId}`)).status).toBe(403);
    expect((await world.admin.agent.get(`/api/captures/${captureId}`)).body.active).toBe(true);
  });
});
