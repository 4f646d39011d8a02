import type { LoggedInUser } from '../../support/app-harness';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';

interface Entry {
  id: string;
  at: string;
  pageId: string | null;
  actor: { kind: string; id: string };
  action: string;
  object: { kind: string; id: string };
  basis: string;
  details: Record<string, unknown> | null;
}

const HOUR = 3_600_000;

describe('the compliance API: the audit log of automated actions, its export, refusals and opt-outs', () => {
  const world = useLiveChatWorld();
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let dave: LoggedInUser;
  let hatsPageId: string;
  let bobsPageId: string;

  const sim = () => world.simulator.control;
  const settled = async () => {
    await sim().waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
  };
  const auditOf = async (user: LoggedInUser, query = '') => {
    const res = await user.agent.get(`/api/audit?limit=200${query}`);
    expect(res.status).toBe(200);
    return res.body.data as Entry[];
  };
  /** The entries the query finds once at least `count` of them are there (audit writes follow the action). */
  const entriesOnceThere = (query: string, count = 1, user?: LoggedInUser) =>
    eventually(async () => {
      const found = await auditOf(user ?? world.alice, query);
      return found.length >= count && found;
    });
  const post = (path: string, body: object) => world.alice.agent.post(path).set(world.alice.csrf).send(body);

  beforeAll(async () => {
    const hats = await post('/api/pages', { fbPageIds: ['2002'] }).expect(201);
    hatsPageId = (hats.body.data as { id: string }[])[0]?.id ?? '';
    bob = await world.app.login('1002');
    const bobs = await bob.agent
      .post('/api/pages')
      .set(bob.csrf)
      .send({ fbPageIds: ['3001'] });
    bobsPageId = (bobs.body.data as { id: string }[])[0]?.id ?? '';
    const invite = async (role: string) =>
      (await post('/api/invitations', { role }).expect(201)).body.url as string;
    carol = await world.app.login('1003', { invitationUrl: await invite('agent') });
    dave = await world.app.login('1004', { invitationUrl: await invite('marketer') });
  });

  const routes = ['/api/audit', '/api/audit/export', '/api/compliance/refusals', '/api/compliance/opt-outs'];

  it.each(routes)('%s answers 403 to an agent and to a marketer', async (route) => {
    expect((await carol.agent.get(route)).status).toBe(403);
    expect((await dave.agent.get(route)).status).toBe(403);
  });

  it('a person writing a bot keyword leaves one "bot.replied" entry on its Page, with the consent basis', async () => {
    const block = await post('/api/bot/blocks', {
      page: world.shoesPageId,
      name: 'Hours',
      content: { text: 'Open 9–18.' },
    }).expect(201);
    await post('/api/bot/rules', {
      page: world.shoesPageId,
      kind: 'keyword',
      keywordMode: 'any_of',
      keywords: ['hours'],
      block: block.body._id,
    }).expect(201);
    await sim().sendText('p2', '2001', 'hours?');
    await settled();
    const [entry] = await entriesOnceThere('&action=bot');
    const psid = await sim().psidFor('p2', '2001');
    const [sent] = await sim().sentMessages({ pageId: '2001', psid });
    expect(entry).toMatchObject({
      pageId: world.shoesPageId,
      actor: { kind: 'system', id: 'bot' },
      action: 'bot.replied',
      object: { kind: 'message', id: sent?.mid },
      details: expect.objectContaining({ psid, messagingType: 'RESPONSE', ruleKind: 'keyword' }),
    });
    expect(entry?.basis).toMatch(/^Replied within 24 h of the person's last interaction at \d{4}-/);
    expect(await auditOf(world.alice, '&action=bot.replied')).toHaveLength(1);
  });

  it('a first message, STOP and START are an opt-in, an opt-out (confirmed once) and an opt-in, counted per day', async () => {
    for (const text of ['hello', 'stop', 'start']) {
      await sim().sendText('p3', '2001', text);
      await settled();
    }
    const subscriber = (await entriesOnceThere('&action=subscriber.opted_out'))[0]?.object.id ?? '';
    const history = await entriesOnceThere(`&objectId=${subscriber}`, 3);
    expect(history.map((entry) => entry.action)).toEqual([
      'subscriber.opted_in',
      'subscriber.opted_out',
      'subscriber.opted_in',
    ]);
    expect(history.map((entry) => entry.actor.kind)).toEqual(['person', 'person', 'person']);
    expect(history[2]?.basis).toMatch(/opted in by sending the Page a message at/);
    expect(history[1]?.basis).toMatch(/opted out: Sent "stop"/);
    expect(history[0]?.basis).toMatch(/opted in again by sending START/);
    const [confirmation] = await entriesOnceThere('&action=subscriber.opt_out_confirmed');
    expect(confirmation?.basis).toMatch(/^The one confirmation of an opt-out/);

    const chart = await eventually(async () => {
      const res = await world.alice.agent.get(`/api/compliance/opt-outs?pageId=${world.shoesPageId}`);
      return res.body.byWay?.optOuts?.keyword === 1 && res.body.byWay.optIns.keyword === 1 && res.body;
    });
    const today = world.app.clock.now().toISOString().slice(0, 10);
    expect(chart.days).toHaveLength(30);
    expect(chart.days.at(-1)).toMatchObject({ day: today, optOuts: 1 });
    expect(chart.days.at(-1).optIns).toBeGreaterThanOrEqual(3);
  });

  it('a broadcast that completes leaves one summary entry with its totals and purpose, and its refusals are counted', async () => {
    await sim().sendText('p1', '2001', 'any news?');
    await sim().sendText('p5', '2001', 'hi there');
    await settled();
    // Meta answers 551 for p5 from now on.
    await sim().blockPage('p5', '2001');
    const draft = await post('/api/broadcasts', {
      name: 'Friday sale',
      pages: [world.shoesPageId],
      content: { type: 'text', text: 'Everything 20% off today' },
      audience: {},
      purpose: 'promotional',
    }).expect(201);
    const id = draft.body._id as string;
    await post(`/api/broadcasts/${id}/send`, {}).expect(200);
    await eventually(async () => {
      const b = (await world.alice.agent.get(`/api/broadcasts/${id}`)).body;
      return b.state === 'completed';
    }, 20_000);
    const [summary] = await entriesOnceThere(`&objectId=${id}`);
    expect(await auditOf(world.alice, `&objectId=${id}`)).toHaveLength(1);
    expect(summary).toMatchObject({
      pageId: world.shoesPageId,
      actor: { kind: 'job' },
      action: 'broadcast.completed',
      object: { kind: 'broadcast', id },
      details: expect.objectContaining({
        name: 'Friday sale',
        purpose: 'promotional',
        refused: [{ code: 'user_unavailable (551)', count: 1 }],
      }),
    });
    expect((summary?.details?.totals as { sent: number }).sent).toBeGreaterThanOrEqual(1);
    expect(summary?.basis).toMatch(/^Promotional: only people who interacted with the Page in the last 24 h/);

    const psid = await sim().psidFor('p5', '2001');
    const [unreachable] = await entriesOnceThere('&action=subscriber.unreachable');
    expect(unreachable).toMatchObject({ actor: { kind: 'meta' }, details: { psid } });

    const refusals = await eventually(async () => {
      const res = await world.alice.agent.get('/api/compliance/refusals');
      return (res.body.data as { reason: string }[]).length > 0 && res.body;
    });
    expect(refusals.data).toContainEqual(
      expect.objectContaining({
        reason: 'meta:user_unavailable:551',
        by: 'meta',
        code: 'user_unavailable',
        metaCode: 551,
        count: 1,
        bySource: { broadcast: 1 },
      }),
    );
  });

  it('a comment on a captured post leaves a private reply entry (one per comment) and a public reply entry', async () => {
    const { postId } = await sim().createPost('2001', 'Summer sandals are here');
    await post('/api/captures', {
      page: world.shoesPageId,
      name: 'Sandals',
      target: { kind: 'existing_post', postId },
      privateReply: { text: 'Sizes and prices are in your inbox.' },
      publicReplies: ['Check your inbox!'],
    }).expect(201);
    const { commentId } = await sim().comment('p6', postId, 'Which sizes?');
    await settled();
    const entries = await entriesOnceThere(`&objectId=${commentId}`, 2);
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      'capture.public_replied',
      'capture.replied',
    ]);
    const replied = entries.find((entry) => entry.action === 'capture.replied');
    expect(replied?.pageId).toBe(world.shoesPageId);
    expect(replied?.basis).toMatch(/one private reply per comment, within 7 days of the comment made at/);
  });

  it("Meta's policy events about a Page are audited as Meta's", async () => {
    await sim().policyEnforcement('2001', 'warning', 'Check the messaging policy');
    await settled();
    const [warning] = await entriesOnceThere('&actorKind=meta&action=page.policy');
    expect(warning).toMatchObject({
      pageId: world.shoesPageId,
      action: 'page.policy.warning',
      object: { kind: 'page', id: world.shoesPageId },
    });
    expect(warning?.basis).toMatch(/warned.*Check the messaging policy/);
  });

  it("another workspace's entries never show, and its Page is not found", async () => {
    await sim().sendText('p7', '3001', 'do you sell helmets?');
    await sim().sendText('p8', '2002', 'hats?');
    await settled();
    const bobs = await entriesOnceThere('', 1, bob);
    expect(bobs.every((entry) => entry.pageId === bobsPageId || entry.pageId === null)).toBe(true);
    await entriesOnceThere(`&pageId=${hatsPageId}`);
    const alices = await auditOf(world.alice);
    expect(alices.some((entry) => entry.pageId === bobsPageId)).toBe(false);
    expect(alices.some((entry) => bobs.some((other) => other.id === entry.id))).toBe(false);
    expect((await world.alice.agent.get(`/api/audit?pageId=${bobsPageId}`)).status).toBe(404);
    expect((await world.alice.agent.get(`/api/compliance/refusals?pageId=${bobsPageId}`)).status).toBe(404);
    const exported = await world.alice.agent.get('/api/audit/export');
    expect(exported.text).not.toContain(bobsPageId);
  });

  it('filters narrow the log, and walking it by cursor gives every entry once, newest first', async () => {
    const all = await auditOf(world.alice);
    expect(all.length).toBeGreaterThan(8);
    const times = all.map((entry) => Date.parse(entry.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await world.alice.agent.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      walked.push(...(res.body.data as Entry[]).map((entry) => entry.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(walked).toEqual(all.map((entry) => entry.id));

    const hats = await auditOf(world.alice, `&pageId=${hatsPageId}`);
    expect(hats.length).toBeGreaterThan(0);
    expect(hats.every((entry) => entry.pageId === hatsPageId)).toBe(true);
    const people = await auditOf(world.alice, '&actorKind=person');
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((entry) => entry.actor.kind === 'person')).toBe(true);
    const subscribers = await auditOf(world.alice, '&action=subscriber');
    expect(subscribers.every((entry) => entry.action.startsWith('subscriber.'))).toBe(true);
    const today = world.app.clock.now().toISOString().slice(0, 10);
    expect(await auditOf(world.alice, `&from=${today}&to=${today}`)).toHaveLength(all.length);
    const yesterday = new Date(Date.parse(today) - 24 * HOUR).toISOString().slice(0, 10);
    expect(await auditOf(world.alice, `&to=${yesterday}`)).toEqual([]);
  });

  it.each([
    ['limit=0'],
    ['limit=abc'],
    ['pageId=not-an-id'],
    ['actorKind=robot'],
    ['action=DROP TABLE'],
    ['from=yesterday'],
    ['from=2026-12-02&to=2026-12-01'],
    ['cursor=garbage'],
    ['colour=blue'],
  ])('a bad query (%s) is a 400 problem document', async (query) => {
    const res = await world.alice.agent.get(`/api/audit?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([['from=2025-01-01&to=2026-12-31'], ['from=2026-12-02&to=2026-12-01'], ['to=never']])(
    'a bad chart range (%s) is a 400 problem document',
    async (query) => {
      const res = await world.alice.agent.get(`/api/compliance/opt-outs?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    },
  );

  it('the CSV export quotes as RFC 4180 says and disarms cells a spreadsheet would run as formulas', async () => {
    await world.app.server().accounts.services.audit.record({
      workspaceId: (await world.alice.agent.get('/api/me')).body.workspace.id,
      pageId: world.shoesPageId,
      actor: { kind: 'person', id: '@admin' },
      action: 'page.policy.warning',
      object: { kind: 'comment', id: '+33 6 12' },
      basis: '=HYPERLINK("http://evil.example","Click, here")',
      details: { note: '-1' },
    });
    const res = await world.alice.agent.get(`/api/audit/export?pageId=${world.shoesPageId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?pagewire-audit-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('at,page,actor kind,actor,action,object kind,object,basis,details');
    expect(lines.at(-1)).toBe('');
    const injected = lines.find((line) => line.includes('HYPERLINK'));
    expect(injected).toMatch(
      /^[^,]+,[0-9a-f]{24},person,'@admin,page\.policy\.warning,comment,'\+33 6 12,"'=HYPERLINK\(""http:\/\/evil\.example"",""Click, here""\)","\{""note"":""-1""\}"$/,
    );
    const optOut = lines.find((line) => line.includes('subscriber.opted_out'));
    expect(optOut).toContain('"The person opted out: Sent ""stop"". ');
    const listed = await auditOf(world.alice, `&pageId=${world.shoesPageId}`);
    expect(lines.length - 2).toBe(listed.length);
  });

  it('an agent reply after 24 h carries HUMAN_AGENT and is audited with the 7-day basis', async () => {
    await sim().sendText('p4', '2001', 'is my order shipped?');
    await settled();
    await sim().advanceTime(30 * HOUR);
    world.app.clock.advance(30 * HOUR);
    const psid = await sim().psidFor('p4', '2001');
    const list = await world.alice.agent.get(`/api/conversations?pageId=${world.shoesPageId}`);
    const conversation = (list.body.data as { id: string; psid: string }[]).find((c) => c.psid === psid);
    const reply = await post(`/api/conversations/${conversation?.id}/messages`, {
      type: 'text',
      text: 'Yes, it left today.',
    });
    expect(reply.status).toBeLessThan(300);
    const [entry] = await entriesOnceThere('&action=agent');
    expect(entry).toMatchObject({
      action: 'agent.human_agent_reply',
      actor: { kind: 'user' },
      details: expect.objectContaining({ tag: 'HUMAN_AGENT', messagingType: 'MESSAGE_TAG' }),
    });
    expect(entry?.basis).toMatch(
      /^HUMAN_AGENT tag: an agent's own words within 7 days of the person's message at/,
    );
  });
});
