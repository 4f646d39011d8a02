import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

/** FEATURE_PHONE_INVITES on: numbers uploaded with consent, each invited once ever through the simulator. */
describe('phone invitations', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let pageId: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator, config: { FEATURE_PHONE_INVITES: 'true' } });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001'] });
    pageId = (connected.body.data as { id: string; fbPageId: string }[]).find(
      (page) => page.fbPageId === '2001',
    )?.id as string;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const upload = (numbers: string, extra: Record<string, unknown> = {}) =>
    alice.agent
      .post('/api/phone-invites')
      .set(alice.csrf)
      .send({ pageId, numbers, message: 'Come chat with us on Messenger!', consentAttested: true, ...extra });

  const phoneSends = async () =>
    (await simulator.control.sentMessages({ pageId: '2001' }))
      .map((sent) => sent.recipient.phone_number)
      .filter((phone): phone is string => typeof phone === 'string');

  async function invitations() {
    const res = await alice.agent.get('/api/phone-invites').query({ pageId });
    expect(res.status).toBe(200);
    return res.body.data as { phoneNumber: string; status: string; reason: string | null; consent: object }[];
  }

  async function settled() {
    await app.server().phoneInvites?.service.sendQueued();
    const start = Date.now();
    while ((await invitations()).some((invitation) => ['queued', 'sending'].includes(invitation.status))) {
      if (Date.now() - start > 20_000) throw new Error('invitations still queued');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('refuses an upload without the uploader’s attestation of consent', async () => {
    const missing = await upload('+12125550101', { consentAttested: undefined });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('consentAttested');
    const declined = await upload('+12125550101', { consentAttested: false });
    expect(declined.status).toBe(400);
    expect(await invitations()).toEqual([]);
  });

  it('normalises numbers to E.164, reports each invalid line, and sends each valid one with its consent', async () => {
    const res = await upload('phone,name\n(212) 555-0102,Ann\n+1 212 555 0103,Ben\nhello,Cy\n12,Di\n');
    expect(res.status).toBe(201);
    expect(res.body.lines).toEqual([
      { line: 2, input: '(212) 555-0102', phoneNumber: '+12125550102', outcome: 'queued' },
      { line: 3, input: '+1 212 555 0103', phoneNumber: '+12125550103', outcome: 'queued' },
      { line: 4, input: 'hello', outcome: 'invalid', reason: expect.any(String) },
      { line: 5, input: '12', outcome: 'invalid', reason: expect.any(String) },
    ]);
    await settled();
    expect((await phoneSends()).sort()).toEqual(['+12125550102', '+12125550103']);
    const listed = await invitations();
    expect(listed.map((invitation) => invitation.status)).toEqual(['sent', 'sent']);
    expect(listed[0]?.consent).toMatchObject({ statement: expect.stringMatching(/agreed to be contacted/) });
  });

  it('a number is invited once, ever: uploaded again, or twice in one upload, it is not sent again', async () => {
    const again = await upload('+12125550102\n2125550104\n212-555-0104');
    expect(again.body.lines.map((line: { outcome: string }) => line.outcome)).toEqual([
      'already_invited',
      'queued',
      'repeated_in_upload',
    ]);
    await settled();
    const sends = await phoneSends();
    expect(sends.filter((phone) => phone === '+12125550102')).toHaveLength(1);
    expect(sends.filter((phone) => phone === '+12125550104')).toHaveLength(1);
  });

  it('two uploads and many senders racing: every number is sent exactly once', async () => {
    const numbers = Array.from({ length: 30 }, (_, index) => `+1212555${String(2000 + index)}`);
    const [first, second] = await Promise.all([upload(numbers.join('\n')), upload(numbers.join('\n'))]);
    const queued = [...first.body.lines, ...second.body.lines].filter(
      (line: { outcome: string }) => line.outcome === 'queued',
    );
    expect(queued).toHaveLength(30);
    const service = app.server().phoneInvites?.service;
    await Promise.all(Array.from({ length: 6 }, () => service?.sendQueued()));
    await settled();
    const sends = await phoneSends();
    for (const phone of numbers) expect(sends.filter((sent) => sent === phone)).toHaveLength(1);
  });

  it('a non-US number is refused by Meta with a clear reason, and not sent', async () => {
    await upload('+44 20 7946 0958');
    await settled();
    const uk = (await invitations()).find((invitation) => invitation.phoneNumber === '+442079460958');
    expect(uk).toMatchObject({ status: 'refused', reason: expect.stringMatching(/United States/) });
    expect(await phoneSends()).not.toContain('+442079460958');
  });

  it('answers 404 for a Page the member does not see', async () => {
    const res = await upload('+12125550199', { pageId: new mongoose.Types.ObjectId().toString() });
    expect(res.status).toBe(404);
  });
});
