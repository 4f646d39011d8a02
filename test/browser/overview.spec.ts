import type { Page } from '@playwright/test';
import { csrfHeader, expect, expectAccessible, screenshot, test } from './browser-test';
import { advanceClock, invitedMember, logInAndConnect, newWorld } from './sandbox-world';

/** A headline figure of the Overview, by its label. */
const figure = (page: Page, label: string) => page.getByRole('listitem').filter({ hasText: label });

async function conversations(
  page: Page,
): Promise<{ id: string; subscriberName: string; lastMessage: { preview: string } }[]> {
  return ((await (await page.request.get('/api/conversations')).json()) as { data: never[] }).data;
}

test('the Overview after a day’s activity: messages, the median first response, subscribers gained and lost, who waits longest', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Over', 3);
  const [ada, ben, cleo] = world.people as [
    { id: string; name: string },
    { id: string; name: string },
    { id: string; name: string },
  ];
  await logInAndConnect(page, world);

  await simulator.sendText(ada.id, world.pageId, 'Do you ship to Lyon?');
  await simulator.sendText(ben.id, world.pageId, 'hello');
  await simulator.sendText(cleo.id, world.pageId, 'Is the blue coat back?');
  await expect.poll(async () => (await conversations(page)).length, { timeout: 15_000 }).toBe(3);
  // An hour later an agent answers Ada; Ben opts out (and gets the acknowledgement); Cleo is still waiting.
  await advanceClock(page, 1);
  const adas = (await conversations(page)).find((conversation) => conversation.subscriberName === ada.name)!;
  const replied = await page.request.post(`/api/conversations/${adas.id}/messages`, {
    data: { type: 'text', text: 'Yes, in two days.' },
    headers: await csrfHeader(page),
  });
  expect(replied.status()).toBe(201);
  await simulator.sendText(ben.id, world.pageId, 'stop');
  await expect
    .poll(
      async () => (await conversations(page)).find((c) => c.subscriberName === ben.name)?.lastMessage.preview,
      {
        timeout: 15_000,
      },
    )
    .not.toBe('stop');

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await expect(figure(page, 'Messages received')).toContainText('4');
  await expect(figure(page, 'Messages sent')).toContainText('2');
  await expect(figure(page, 'Median first response')).toContainText('1 h');
  await expect(figure(page, 'Conversations answered')).toContainText('1');
  await expect(figure(page, 'Subscribers gained')).toContainText('3');
  await expect(figure(page, 'Subscribers lost')).toContainText('1');
  const waiting = page.getByRole('region', { name: 'Waiting longest' });
  await expect(waiting.getByRole('link')).toHaveCount(1);
  await expect(waiting.getByRole('link')).toContainText(cleo.name);
  await expect(page.getByRole('region', { name: 'Broadcasts running' })).toContainText(
    'No broadcast is sending',
  );
  await expectAccessible(page);
  await screenshot(page, 'overview');

  await page.setViewportSize({ width: 375, height: 800 });
  await expect(figure(page, 'Messages received')).toBeVisible();
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await screenshot(page, 'overview-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The waiting conversation is one click from its thread.
  await waiting.getByRole('link', { name: new RegExp(cleo.name, 'u') }).click();
  await expect(page).toHaveURL(/\/inbox\/[0-9a-f]{24}$/u);
  await expect(page.getByText('Is the blue coat back?').first()).toBeVisible();

  // An agent sees the same Page's figures, and no broadcasts.
  const agent = await invitedMember(page, browser, simulator, 'Olga Overview');
  await expect(agent.page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await expect(figure(agent.page, 'Messages received')).toContainText('4');
  await expect(agent.page.getByRole('heading', { name: 'Subscribers' })).toBeVisible();
  await expect(agent.page.getByRole('heading', { name: 'Broadcasts running' })).toHaveCount(0);
  await agent.context.close();
});

test('a broadcast that is sending or paused shows on the Overview with its progress bar', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Busy', 2);
  await logInAndConnect(page, world);
  for (const person of world.people) await simulator.sendText(person.id, world.pageId, 'hi');
  await expect.poll(async () => (await conversations(page)).length, { timeout: 15_000 }).toBe(2);
  const [connected] = ((await (await page.request.get('/api/pages')).json()) as { data: { id: string }[] })
    .data;
  const headers = await csrfHeader(page);
  const created = await page.request.post('/api/broadcasts', {
    data: {
      name: 'Winter sale',
      pages: [connected!.id],
      content: { type: 'text', text: 'Winter sale: 20% off coats.' },
      audience: {},
      purpose: 'promotional',
    },
    headers,
  });
  expect(created.status()).toBe(201);
  const { _id: id } = (await created.json()) as { _id: string };
  // Meta slowed down, so the broadcast is caught sending and paused.
  await simulator.setFaults({ slowMs: 3_000, appliesTo: 'messages' });
  try {
    expect((await page.request.post(`/api/broadcasts/${id}/send`, { headers })).status()).toBe(200);
    expect((await page.request.post(`/api/broadcasts/${id}/pause`, { headers })).status()).toBe(200);
  } finally {
    await simulator.setFaults({ slowMs: 0 });
  }

  await page.goto('/');
  const running = page.getByRole('region', { name: 'Broadcasts running' });
  await expect(running.getByRole('link', { name: 'Winter sale' })).toBeVisible();
  await expect(running.getByText('Paused', { exact: true })).toBeVisible();
  await expect(running.getByRole('progressbar', { name: 'Sending progress' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'overview-broadcast');
  expect((await page.request.post(`/api/broadcasts/${id}/cancel`, { headers })).status()).toBe(200);
});
