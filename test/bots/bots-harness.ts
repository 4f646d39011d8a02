import { WebhookEvent } from '../../models/webhook-event';
import { startSimulator, type Simulator } from '../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../support/app-harness';

export const PAGE = '2001';
export const OTHER_PAGE = '2002';

/** The simulator as Meta, the product wired to it, and Alice, admin of Page 2001 (and of another Page, 2002). */
export interface BotWorld {
  sim: Simulator;
  app: TestApp;
  admin: LoggedInUser;
  pageId: string;
  stop(): Promise<void>;
}

export async function startBotWorld(config: Record<string, string> = {}): Promise<BotWorld> {
  const sim = await startSimulator({
    seed: {
      users: [
        { id: '1001', name: 'Alice Admin', email: 'alice@example.com' },
        { id: '1003', name: 'Carol Agent', email: 'carol@example.com' },
        { id: '1004', name: 'Mia Marketer', email: 'mia@example.com' },
      ],
      pages: [
        { id: PAGE, name: 'Alice Shoes', adminUserIds: ['1001'] },
        { id: OTHER_PAGE, name: 'Alice Hats', adminUserIds: ['1001'] },
      ],
    },
  });
  const app = await startTestApp({ simulator: sim, config: { GRAPH_TIMEOUT_MS: '2000', ...config } });
  await sim.control.setWebhook({
    callbackUrl: `${app.url}/webhooks/facebook`,
    verifyToken: app.config.FB_VERIFY_TOKEN,
  });
  const admin = await app.login('1001');
  const connected = await admin.agent
    .post('/api/pages')
    .set(admin.csrf)
    .send({ fbPageIds: [PAGE, OTHER_PAGE] });
  if (connected.status !== 201) throw new Error(`connect failed: ${connected.status} ${connected.text}`);
  const pages = connected.body.data as { id: string; fbPageId: string }[];
  const pageId = pages.find((page) => page.fbPageId === PAGE)?.id ?? '';
  return {
    sim,
    app,
    admin,
    pageId,
    async stop() {
      await app.stop();
      await sim.stop();
    },
  };
}

async function invite(world: BotWorld, role: 'agent' | 'marketer', facebookUserId: string) {
  const invitation = await world.admin.agent.post('/api/invitations').set(world.admin.csrf).send({ role });
  if (invitation.status !== 201)
    throw new Error(`invitation failed: ${invitation.status} ${invitation.text}`);
  return world.app.login(facebookUserId, { invitationUrl: invitation.body.url as string });
}

/** Carol (Facebook user 1003) joins Alice's workspace as an agent through an invitation link. */
export const inviteAgent = (world: BotWorld): Promise<LoggedInUser> => invite(world, 'agent', '1003');

/** Mia (Facebook user 1004) joins Alice's workspace as a marketer through an invitation link. */
export const inviteMarketer = (world: BotWorld): Promise<LoggedInUser> => invite(world, 'marketer', '1004');

/** Moves Meta's clock and Pagewire's together, so the 24-hour window means the same on both sides. */
export async function advanceBothClocks(world: BotWorld, ms: number): Promise<void> {
  await world.sim.control.advanceTime(ms);
  world.app.clock.advance(ms);
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lets every queued webhook reach the product and the product finish with it. */
export async function settle(world: BotWorld): Promise<void> {
  await world.sim.control.waitForWebhookIdle();
  await eventually(
    async () => (await WebhookEvent.countDocuments({ status: { $in: ['pending', 'processing'] } })) === 0,
  );
}
