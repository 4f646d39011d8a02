import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { tenancySeed } from '../../support/tenancy-seed';

export const ALICE_X = {
  id: '1600000000000000001',
  username: 'aliceshoes',
  name: 'Alice Shoes',
  followersCount: 1200,
};
export const CAROL_X = {
  id: '1600000000000000002',
  username: 'carol_helps',
  name: 'Carol',
  followersCount: 80,
};

export interface XWorld {
  simulator: Simulator;
  app: TestApp;
  /** Alice, the workspace's admin; Carol, her agent; Bob, the admin of another workspace. */
  alice: LoggedInUser;
  carol: LoggedInUser;
  bob: LoggedInUser;
  stop(): Promise<void>;
}

/** A workspace of Alice (admin) and Carol (agent), Bob elsewhere, and X playing X with their two accounts. */
export async function startXWorld(config: Record<string, string> = {}): Promise<XWorld> {
  const simulator = await startSimulator({ seed: tenancySeed, x: { users: [ALICE_X, CAROL_X] } });
  const app = await startTestApp({ simulator, config });
  const alice = await app.login('1001');
  const bob = await app.login('1002');
  const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
  const carol = await app.login('1003', { invitationUrl: invitation.body.url as string });
  return {
    simulator,
    app,
    alice,
    carol,
    bob,
    async stop() {
      await app.stop();
      await simulator.stop();
    },
  };
}
