import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

const flagged = {
  ads_management: 'FEATURE_SPONSORED_MESSAGES',
  pages_messaging_phone_number: 'FEATURE_PHONE_INVITES',
};

async function askedAtLogin(app: TestApp): Promise<string[]> {
  const start = await fetch(`${app.url}/auth/facebook`, { redirect: 'manual' });
  return new URL(start.headers.get('location') ?? '').searchParams.get('scope')?.split(',') ?? [];
}

async function served(app: TestApp): Promise<string[]> {
  const body = (await fetch(`${app.url}/api/permissions`).then((res) => res.json())) as {
    data: { name: string }[];
  };
  return body.data.map((permission) => permission.name);
}

/** A feature behind a flag: off, its routes answer 404 and its permission is neither asked nor listed. */
describe('sponsored messages and phone invitations behind their flags', () => {
  useTestDatabase();
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
  });
  afterAll(() => simulator.stop());

  it('off (the default): routes 404, and login and GET /api/permissions leave both permissions out', async () => {
    const app = await startTestApp({ simulator });
    try {
      for (const name of Object.keys(flagged)) {
        expect(await askedAtLogin(app)).not.toContain(name);
        expect(await served(app)).not.toContain(name);
      }
      const alice = await app.login('1001');
      expect((await alice.agent.get('/api/me')).body.can).toMatchObject({
        sponsor: false,
        invitePhones: false,
      });
      for (const path of [
        '/api/sponsored-messages',
        '/api/sponsored-messages/ad-accounts',
        '/api/phone-invites',
      ]) {
        expect((await alice.agent.get(path)).status).toBe(404);
      }
      expect((await alice.agent.post('/api/phone-invites').set(alice.csrf).send({})).status).toBe(404);
      expect((await alice.agent.post('/api/sponsored-messages').set(alice.csrf).send({})).status).toBe(404);
      const openapi = await alice.agent.get('/api/openapi.json');
      expect(
        Object.keys(openapi.body.paths as object).filter((path) => /sponsored|phone/.test(path)),
      ).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it.each(Object.entries(flagged))('%s is asked and listed only with %s on', async (permission, flag) => {
    const app = await startTestApp({ simulator, config: { [flag]: 'true' } });
    try {
      expect(await askedAtLogin(app)).toContain(permission);
      expect(await served(app)).toContain(permission);
      const other = Object.keys(flagged).find((name) => name !== permission) as string;
      expect(await askedAtLogin(app)).not.toContain(other);
      const can = (await (await app.login('1001')).agent.get('/api/me')).body.can;
      expect(can).toMatchObject(
        flag === 'FEATURE_PHONE_INVITES'
          ? { sponsor: false, invitePhones: true }
          : { sponsor: true, invitePhones: false },
      );
    } finally {
      await app.stop();
    }
  });
});
