import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

test('an admin subscribes a URL, sees the secret once, reads the delivery log and replays a delivery', async ({
  page,
  simulator,
}) => {
  const received: IncomingHttpHeaders[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pagewire`;
  try {
    const world = await newWorld(simulator, 'Hooks', 1);
    const ada = world.people[0] as { id: string };
    await logInAndConnect(page, world);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    // Each event says what it means; a broadcast is one event, not one per recipient.
    await expect(page.getByLabel('message.sent')).toHaveAccessibleDescription(/Broadcasts do not fire it/);
    await expect(page.getByLabel('broadcast.completed')).toHaveAccessibleDescription(/once per broadcast/);
    await page.getByLabel('URL').fill(url);
    await page.getByLabel('message.received').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = page.getByLabel(`Signing secret for ${url}`);
    await expect(secret).toHaveValue(/^whsec_/);

    await simulator.sendText(ada.id, world.pageId, 'hello webhooks');
    const log = page.getByRole('list', { name: 'Deliveries' });
    const delivery = log.getByRole('listitem').filter({ hasText: 'message.received' });
    await expect(delivery).toContainText('delivered', { timeout: 15_000 });
    await expect(delivery).toContainText(/1 attempt · last: 200 in \d+ ms/);
    expect(received).toHaveLength(1);

    await delivery.getByRole('button', { name: /^Replay message.received/ }).click();
    await expect(delivery).toContainText(/2 attempts · last: 200/, { timeout: 15_000 });
    expect(received.map((headers) => headers['pagewire-event-id'])).toEqual([
      received[0]?.['pagewire-event-id'],
      received[0]?.['pagewire-event-id'],
    ]);
    await expectAccessible(page);
    await screenshot(page, 'webhooks');

    // The secret is not shown again once the page is left.
    await page.reload();
    await expect(page.getByLabel(`Signing secret for ${url}`)).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Endpoints' })).toContainText(url);

    await page.setViewportSize({ width: 375, height: 800 });
    await expect(log.getByRole('listitem').first()).toBeVisible();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    await screenshot(page, 'webhooks-phone');
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
