import { Types } from 'mongoose';
import { SubscriberModel } from '../../../models/subscriber';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

describe('subscribers: tags and custom fields through REST, for the Pages a member may see', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let carol: LoggedInUser;
  let workspaceId: string;
  let shoes: string;
  let hats: string;
  const ids: Record<string, string> = {};

  /** A subscriber written straight to the database: these tests are about the REST, not about webhooks. */
  async function subscriber(name: string, pageId: string) {
    const at = new Date(Date.now() - 3_600_000);
    const created = await SubscriberModel.create({
      workspace: workspaceId,
      page: pageId,
      fbPageId: pageId === shoes ? '2001' : '2002',
      psid: `psid-${name}`,
      firstName: name,
      optIn: { source: 'message', at },
      lastInteractionAt: at,
    });
    ids[name] = created._id.toString();
  }

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    bob = await app.login('1002');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] });
    const pages = connected.body.data as { id: string; fbPageId: string }[];
    shoes = pages.find((p) => p.fbPageId === '2001')?.id ?? '';
    hats = pages.find((p) => p.fbPageId === '2002')?.id ?? '';
    await alice.agent.patch(`/api/pages/${hats}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
    workspaceId = (await alice.agent.get('/api/me')).body.workspace.id;
    for (const name of ['ana', 'ben', 'cid']) await subscriber(name, shoes);
    await subscriber('hidden', hats);
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('lists a Page’s subscribers a page at a time, each once', async () => {
    const first = await alice.agent.get(`/api/subscribers?pageId=${shoes}&limit=2`).expect(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await alice.agent
      .get(`/api/subscribers?pageId=${shoes}&limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.nextCursor).toBeNull();
    const names = [...first.body.data, ...second.body.data].map((s: { firstName: string }) => s.firstName);
    expect(names.sort()).toEqual(['ana', 'ben', 'cid']);
  });

  it('tags and custom fields set through REST are what a broadcast segment selects', async () => {
    const tagged = await alice.agent
      .put(`/api/subscribers/${ids.ana}/tags`)
      .set(alice.csrf)
      .send({ tags: ['vip', 'shoes', 'vip'] })
      .expect(200);
    expect(tagged.body.subscriber.tags).toEqual(['vip', 'shoes']);
    await alice.agent
      .put(`/api/subscribers/${ids.ben}/tags`)
      .set(alice.csrf)
      .send({ tags: ['vip'] })
      .expect(200);
    const fields = await alice.agent
      .patch(`/api/subscribers/${ids.ana}/custom-fields`)
      .set(alice.csrf)
      .send({ customFields: { city: 'Lyon', size: '42' } })
      .expect(200);
    expect(fields.body.subscriber.customFields).toEqual({ city: 'Lyon', size: '42' });
    const removed = await alice.agent
      .patch(`/api/subscribers/${ids.ana}/custom-fields`)
      .set(alice.csrf)
      .send({ customFields: { size: null } })
      .expect(200);
    expect(removed.body.subscriber.customFields).toEqual({ city: 'Lyon' });

    const estimate = (audience: object) =>
      alice.agent
        .post('/api/broadcasts/estimate')
        .set(alice.csrf)
        .send({ pages: [shoes], audience, purpose: 'POST_PURCHASE_UPDATE' })
        .expect(200);
    expect((await estimate({ tags: ['vip'] })).body.excluded.filteredOut).toBe(1);
    expect(
      (await estimate({ tags: ['vip'], customFields: { city: 'Lyon' } })).body.excluded.filteredOut,
    ).toBe(2);
    const vips = await alice.agent.get(`/api/subscribers?tag=vip`).expect(200);
    expect(vips.body.data.map((s: { id: string }) => s.id).sort()).toEqual([ids.ana, ids.ben].sort());
  });

  it('refuses a body it does not understand', async () => {
    const put = (body: object) =>
      alice.agent.put(`/api/subscribers/${ids.cid}/tags`).set(alice.csrf).send(body);
    const patch = (body: object) =>
      alice.agent.patch(`/api/subscribers/${ids.cid}/custom-fields`).set(alice.csrf).send(body);
    expect((await put({ tags: 'vip' })).status).toBe(400);
    expect((await put({ tags: [''] })).status).toBe(400);
    expect((await put({ tags: ['vip'], extra: true })).status).toBe(400);
    expect((await patch({ customFields: { 'a.b': 'x' } })).status).toBe(400);
    expect((await patch({ customFields: { $set: 'x' } })).status).toBe(400);
    expect((await patch({ customFields: {} })).status).toBe(400);
    expect((await patch({ customFields: { city: 42 } })).status).toBe(400);
    const untouched = await SubscriberModel.findById(ids.cid).lean();
    expect(untouched).toMatchObject({ tags: [], customFields: {} });
  });

  it('an agent sees and tags only subscribers of Pages shared with them', async () => {
    const listed = await carol.agent.get('/api/subscribers').expect(200);
    expect(listed.body.data.map((s: { id: string }) => s.id)).not.toContain(ids.hidden);
    expect((await carol.agent.get(`/api/subscribers?pageId=${hats}`)).status).toBe(404);
    expect((await carol.agent.get(`/api/subscribers/${ids.hidden}`)).status).toBe(404);
    const refused = await carol.agent
      .put(`/api/subscribers/${ids.hidden}/tags`)
      .set(carol.csrf)
      .send({ tags: ['mine'] });
    expect(refused.status).toBe(404);
    expect((await SubscriberModel.findById(ids.hidden).lean())?.tags).toEqual([]);
    await carol.agent
      .put(`/api/subscribers/${ids.cid}/tags`)
      .set(carol.csrf)
      .send({ tags: ['called-back'] })
      .expect(200);
  });

  it('another workspace finds none of these subscribers', async () => {
    const listed = await bob.agent.get('/api/subscribers').expect(200);
    expect(listed.body.data).toEqual([]);
    expect((await bob.agent.get(`/api/subscribers/${ids.ana}`)).status).toBe(404);
    const refused = await bob.agent
      .patch(`/api/subscribers/${ids.ana}/custom-fields`)
      .set(bob.csrf)
      .send({ customFields: { city: 'Oslo' } });
    expect(refused.status).toBe(404);
    expect((await bob.agent.get(`/api/subscribers?pageId=${shoes}`)).status).toBe(404);
    expect((await bob.agent.get(`/api/subscribers/${new Types.ObjectId().toString()}`)).status).toBe(404);
  });
  it('an admin exports the subscribers as RFC 4180 CSV, a formula never runs, and no one else may', async () => {
    await subscriber('=HYPERLINK("http://evil")', shoes);
    await alice.agent
      .put(`/api/subscribers/${ids['=HYPERLINK("http://evil")']}/tags`)
      .set(alice.csrf)
      .send({ tags: ['vip, gold'] })
      .expect(200);
    const answer = await alice.agent.get(`/api/subscribers/export.csv?pageId=${shoes}`).expect(200);
    expect(answer.type).toBe('text/csv');
    expect(answer.headers['content-disposition']).toMatch(/attachment; filename="?pagewire-subscribers-/);
    const records = answer.text.split('\r\n');
    expect(records[0]).toBe(
      'id,page,psid,first name,last name,status,source,opted in at,unsubscribed at,unsubscribe reason,tags,fields',
    );
    expect(records.find((record) => record.startsWith(ids.ana!))).toMatch(
      /,2001,psid-ana,ana,,subscribed,message,/,
    );
    expect(answer.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(answer.text).toContain('"vip, gold"');
    expect(answer.text).not.toContain('psid-hidden');

    expect((await carol.agent.get('/api/subscribers/export.csv')).status).toBe(403);
    const other = await bob.agent.get('/api/subscribers/export.csv').expect(200);
    expect(other.text).not.toContain('psid-');
    expect((await bob.agent.get(`/api/subscribers/export.csv?pageId=${shoes}`)).status).toBe(404);
  });

  it('lists the subscribers of every Page it sees in one order, a page at a time, each once', async () => {
    // Written after the others, alternating Pages: the list interleaves them by `_id`, not Page after Page.
    await subscriber('dee', hats);
    await subscriber('eve', shoes);
    const listed: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const answer = await alice.agent
        .get(`/api/subscribers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      listed.push(...answer.body.data.map((s: { id: string }) => s.id));
      cursor = answer.body.nextCursor as string | null;
    }
    const inIdOrder = (await SubscriberModel.find({ workspace: workspaceId }).sort({ _id: 1 }).lean()).map(
      (s) => String(s._id),
    );
    expect(listed).toEqual(inIdOrder);
    expect(listed).toContain(ids.dee);
  });
});
