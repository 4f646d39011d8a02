import { Types } from 'mongoose';
import { PageModel } from '../../../models/page';
import { useTestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

async function connectedPage(fbPageId: string, sendRatePerSecond?: number) {
  await PageModel.create({
    workspace: new Types.ObjectId(),
    fbPageId,
    name: `Page ${fbPageId}`,
    connectedBy: new Types.ObjectId(),
    connectedAt: new Date(),
    ...(sendRatePerSecond === undefined ? {} : { sendRatePerSecond }),
  });
}

describe("a Page's own send rate, as the running product reads it", () => {
  useTestDatabase();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  const sendOnce = (fbPageId: string) => server.messenger.governor.run(fbPageId, 'live', async () => 'sent');

  test('a Page with its own rate is paced at that rate', async () => {
    await connectedPage('800100001', 7);
    await sendOnce('800100001');
    expect(server.messenger.governor.stats('800100001').ratePerSecond).toBe(7);
  });

  test('a Page without one uses PAGE_SEND_RATE_PER_SECOND', async () => {
    await connectedPage('800100002');
    await sendOnce('800100002');
    expect(server.messenger.governor.stats('800100002').ratePerSecond).toBe(
      server.config.PAGE_SEND_RATE_PER_SECOND,
    );
  });

  test('a Page connected in two workspaces is paced at the lower of their rates, since Meta limits the Page', async () => {
    await connectedPage('800100003', 50);
    await connectedPage('800100003', 20);
    await sendOnce('800100003');
    expect(server.messenger.governor.stats('800100003').ratePerSecond).toBe(20);
  });
});
