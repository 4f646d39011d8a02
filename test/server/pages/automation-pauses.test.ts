import mongoose from 'mongoose';
import { SubscriberModel } from '../../../models/subscriber';
import {
  migrateLegacyPauseFlag,
  pauseAutomation,
  resumeAutomation,
} from '../../../server/pages/automation-pause';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';

type Step = 'block' | 'reauth' | 'reconnect' | 'unblock';
type Reason = 'blocked_by_meta' | 'needs_reauth' | 'permission_missing' | 'paused_by_admin';

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

/** What each event does to the set of reasons: it adds or lifts its own reason and leaves the others alone. */
const expectedAfter: Record<Step, (reasons: Set<Reason>) => void> = {
  block: (reasons) => reasons.add('blocked_by_meta'),
  unblock: (reasons) => reasons.delete('blocked_by_meta'),
  reauth: (reasons) => reasons.add('needs_reauth'),
  reconnect: (reasons) => reasons.delete('needs_reauth'),
};

describe('automated sends stay paused while any reason holds, each lifted only by its own event', () => {
  const world = useLiveChatWorld();

  const sim = () => world.simulator.control;
  const alice = () => world.alice;

  /** The Page as the dashboard reads it. */
  async function shoesPage(): Promise<{ automatedSendsPaused: boolean; reasons: Reason[] }> {
    const res = await alice().agent.get(`/api/pages/${world.shoesPageId}`).expect(200);
    const pauses = res.body.automationPauses as { reason: Reason }[];
    return {
      automatedSendsPaused: res.body.automatedSendsPaused,
      reasons: pauses.map((p) => p.reason).sort(),
    };
  }

  /** Meta's signed `messaging_policy_enforcement` webhook, sent by the simulator and processed by the app. */
  async function policyEnforcement(action: 'block' | 'unblock') {
    // Meta stamps each event with its own time; the same action at the same instant is one event redelivered.
    await sim().advanceTime(1_000);
    await sim().policyEnforcement('2001', action, action === 'block' ? 'Spam reports' : undefined);
    await sim().waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
  }

  async function reconnect() {
    await alice()
      .agent.post('/api/pages')
      .set(alice().csrf)
      .send({ fbPageIds: ['2001'] })
      .expect(201);
  }

  const run: Record<Step, () => Promise<void>> = {
    block: () => policyEnforcement('block'),
    unblock: () => policyEnforcement('unblock'),
    // Facebook invalidates the Page token; the health check's debug_token finds it.
    reauth: async () => {
      await sim().revokePageToken('2001');
      await world.app.server().accounts.services.checkHealth(world.shoesPageId);
    },
    reconnect,
  };

  async function startUnpaused() {
    await policyEnforcement('unblock');
    await reconnect();
    await alice()
      .agent.delete(`/api/pages/${world.shoesPageId}/automation-pause`)
      .set(alice().csrf)
      .expect(200);
    expect(await shoesPage()).toEqual({ automatedSendsPaused: false, reasons: [] });
  }

  it.each(
    permutations<Step>(['block', 'reauth', 'reconnect', 'unblock']).map((order) => [
      order.join(' → '),
      order,
    ]),
  )(
    '%s',
    async (_name, order) => {
      await startUnpaused();
      const reasons = new Set<Reason>();
      for (const step of order as Step[]) {
        await run[step]();
        expectedAfter[step](reasons);
        expect({ after: step, ...(await shoesPage()) }).toEqual({
          after: step,
          automatedSendsPaused: reasons.size > 0,
          reasons: [...reasons].sort(),
        });
      }
    },
    30_000,
  );

  it('after block → reconnect a bot send is still refused, and after unblock it goes out', async () => {
    await startUnpaused();
    await run.block();
    await run.reconnect();
    expect(await shoesPage()).toEqual({ automatedSendsPaused: true, reasons: ['blocked_by_meta'] });

    // STOP always unsubscribes; its acknowledgement is an automated send.
    const stopAcknowledged = async (personId: string) => {
      await sim().sendText(personId, '2001', 'stop');
      const psid = await sim().psidFor(personId, '2001');
      await eventually(
        async () => (await SubscriberModel.findOne({ psid }).lean())?.status === 'unsubscribed',
      );
      await world.app.server().webhooks.processor.idle();
      return (await sim().sentMessages({ pageId: '2001', psid })).length > 0;
    };
    expect(await stopAcknowledged('p3')).toBe(false);

    await run.unblock();
    expect(await shoesPage()).toEqual({ automatedSendsPaused: false, reasons: [] });
    expect(await stopAcknowledged('p4')).toBe(true);
  });

  it('an admin’s pause outlives unblock and reconnect, and only the admin’s resume lifts it', async () => {
    await startUnpaused();
    const pauseUrl = `/api/pages/${world.shoesPageId}/automation-pause`;
    const paused = await alice()
      .agent.post(pauseUrl)
      .set(alice().csrf)
      .send({ note: 'Holiday: no bots' })
      .expect(200);
    expect(paused.body).toMatchObject({
      automatedSendsPaused: true,
      automationPauses: [{ reason: 'paused_by_admin', detail: 'Holiday: no bots' }],
    });

    await run.block();
    await run.unblock();
    await run.reauth();
    await run.reconnect();
    expect(await shoesPage()).toEqual({ automatedSendsPaused: true, reasons: ['paused_by_admin'] });

    const resumed = await alice().agent.delete(pauseUrl).set(alice().csrf).expect(200);
    expect(resumed.body).toMatchObject({ automatedSendsPaused: false, automationPauses: [] });
    await alice().agent.post(pauseUrl).set(alice().csrf).send({ surprise: true }).expect(400);
  });

  it('a passing health check lifts the connection’s reasons and leaves Meta’s block', async () => {
    await startUnpaused();
    const { health, checkHealth } = world.app.server().accounts.services;
    await run.block();
    await health.markNeedsReauth(
      world.shoesPageId,
      'Facebook refused the Page token while sending a broadcast.',
    );
    expect((await shoesPage()).reasons).toEqual(['blocked_by_meta', 'needs_reauth']);
    await checkHealth(world.shoesPageId);
    expect(await shoesPage()).toEqual({ automatedSendsPaused: true, reasons: ['blocked_by_meta'] });

    await sim().revokePermission({ pageId: '2001' }, 'pages_messaging');
    await checkHealth(world.shoesPageId).catch(() => undefined);
    expect((await shoesPage()).reasons).toEqual(['blocked_by_meta', 'permission_missing']);
    await sim().grantPermission({ pageId: '2001' }, 'pages_messaging');
    await checkHealth(world.shoesPageId);
    expect(await shoesPage()).toEqual({ automatedSendsPaused: true, reasons: ['blocked_by_meta'] });
  });

  it('reasons added and lifted at once by different paths are never lost', async () => {
    await startUnpaused();
    const pageId = world.shoesPageId;
    const since = new Date();
    await Promise.all(
      Array.from({ length: 10 }, () => [
        pauseAutomation(pageId, 'blocked_by_meta', { since }),
        pauseAutomation(pageId, 'needs_reauth', { since }),
        resumeAutomation(pageId, 'paused_by_admin'),
        pauseAutomation(pageId, 'permission_missing', { since }),
        resumeAutomation(pageId, 'permission_missing'),
      ]).flat(),
    );
    const { reasons } = await shoesPage();
    expect(reasons).toContain('blocked_by_meta');
    expect(reasons).toContain('needs_reauth');
    expect(reasons).not.toContain('paused_by_admin');
  });

  it('a Page stored with the old single flag is read with the reason the flag stood for, once', async () => {
    await startUnpaused();
    const pages = mongoose.connection.db!.collection('pages');
    const _id = new mongoose.Types.ObjectId(world.shoesPageId);
    await pages.updateOne(
      { _id },
      { $set: { automatedSendsPaused: true }, $unset: { automationPauses: '' } },
    );

    await migrateLegacyPauseFlag(new Date());
    await migrateLegacyPauseFlag(new Date());

    expect(await shoesPage()).toEqual({ automatedSendsPaused: true, reasons: ['blocked_by_meta'] });
    expect(await pages.findOne({ _id })).not.toHaveProperty('automatedSendsPaused');
    await run.unblock();
    expect(await shoesPage()).toEqual({ automatedSendsPaused: false, reasons: [] });

    await pages.updateOne({ _id }, { $set: { automatedSendsPaused: true, 'health.status': 'needs_reauth' } });
    await migrateLegacyPauseFlag(new Date());
    expect((await shoesPage()).reasons).toEqual(['needs_reauth']);
    await reconnect();
    expect(await shoesPage()).toEqual({ automatedSendsPaused: false, reasons: [] });
  });
});
