import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { advanceClock, invitedMember, logInAndConnect, newWorld } from './sandbox-world';

const estimateLine = (page: Page, label: string) =>
  page.getByRole('list', { name: 'Who receives it and who is left out' }).getByText(`${label}:`);

async function openComposer(page: Page) {
  await page.getByRole('link', { name: 'Broadcasts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Broadcasts', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'New broadcast' }).click();
  await expect(page.getByRole('heading', { name: 'New broadcast' })).toBeVisible();
}

test('compose cards with quick replies: Meta’s limits counted while typing, a 21-character button title refused with its field named', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Compose', 1);
  await logInAndConnect(page, world);
  await openComposer(page);
  await page.getByLabel('Name (only your team sees it)').fill('Spring boots');
  await page.getByRole('radio', { name: 'Cards (carousel)' }).check();

  // One emoji is one character to Meta, two to JavaScript: the server's count is shown.
  await page.getByLabel('Card 1 title').fill('Trail boots 👟');
  await expect(page.locator('#field-cards-0-title-count')).toHaveText('13/80 characters');
  await page.getByLabel('Card 1 subtitle').fill('Waterproof, from 89 €');
  await page.getByRole('button', { name: 'Add card 1 button' }).click();
  const buttonTitle = page.getByLabel('Card 1 Button 1 title');
  await buttonTitle.fill('Shop the spring sale!');
  await page.getByLabel('Card 1 Button 1 link').fill('https://shop.example.com/boots');
  await page.getByRole('button', { name: 'Add card', exact: true }).click();
  await page.getByLabel('Card 2 title').fill('Rain jackets');
  await page.getByRole('button', { name: 'Add quick reply' }).click();
  await page.getByLabel('Quick reply 1').fill('More like this');
  await expect(page.locator('#field-quickReplies-0-title-count')).toHaveText('14/20 characters');

  const refusal = 'A button title holds at most 20 characters (Facebook refuses longer ones).';
  await expect(page.locator('#field-cards-0-buttons-0-title-count')).toHaveText('21/20 characters');
  await expect(buttonTitle).toHaveAttribute('aria-invalid', 'true');
  await expect(buttonTitle).toHaveAccessibleDescription(new RegExp(refusal.replace(/[().]/gu, '\\$&')));
  const preview = page.getByRole('region', { name: 'Preview in Messenger' });
  await expect(preview.getByText('Trail boots 👟')).toBeVisible();
  await expect(preview.getByText('Rain jackets')).toBeVisible();
  await expect(preview.getByText('Shop the spring sale!')).toBeVisible();
  await expect(preview.getByRole('list', { name: 'Quick replies in the preview' })).toHaveText(
    'More like this',
  );

  // Saving it anyway: the server refuses it, naming the field.
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText(`Card 1, button 1, title: ${refusal}`)).toBeVisible();
  await expect(page).toHaveURL(/\/broadcasts\/new$/u);
  await expectAccessible(page);
  await page.getByRole('heading', { name: 'New broadcast' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'broadcast-composer-refused');

  await buttonTitle.fill('Shop the sale');
  await expect(page.locator('#field-cards-0-buttons-0-title-count')).toHaveText('13/20 characters');
  await expect(buttonTitle).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('heading', { name: 'Spring boots' })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Card 1 Button 1 title')).toHaveValue('Shop the sale');
  await page.getByRole('heading', { name: 'Spring boots' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'broadcast-composer');

  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.getByLabel('Card 1 title')).toBeVisible();
  // Nothing wider than the phone: the carousel preview scrolls inside itself.
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await screenshot(page, 'broadcast-composer-phone');
});

test('the estimate shows who is left out and why; sending moves the bar to the end; exactly the eligible people get it once; the results show the totals and Meta’s refusals', async ({
  page,
  simulator,
}) => {
  test.setTimeout(150_000);
  const world = await newWorld(simulator, 'Reach', 22);
  const [ada, ben, cleo, dev, ...others] = world.people as [
    { id: string; name: string },
    { id: string; name: string },
    { id: string; name: string },
    { id: string; name: string },
    ...{ id: string; name: string }[],
  ];
  await logInAndConnect(page, world);
  // Ben wrote yesterday: outside the 24-hour window now. Cleo wrote and then opted out.
  await simulator.sendText(ben.id, world.pageId, 'Do you have boots?');
  await simulator.waitForWebhookIdle();
  await advanceClock(page, 25);
  for (const person of [ada, cleo, dev, ...others])
    await simulator.sendText(person.id, world.pageId, 'Hello');
  await simulator.sendText(cleo.id, world.pageId, 'STOP');
  // Dev blocks the Page on Messenger, which Pagewire learns only when Meta refuses the message (551).
  await simulator.blockPage(dev.id, world.pageId);
  await simulator.waitForWebhookIdle();
  // The simulator's webhooks are answered before Pagewire has processed them: wait until every person is there.
  await expect
    .poll(async () => {
      const { data } = (await (await page.request.get('/api/subscribers?limit=200')).json()) as {
        data: { status: string }[];
      };
      return `${data.length} people, ${data.filter((one) => one.status === 'unsubscribed').length} opted out`;
    })
    .toBe('22 people, 1 opted out');
  const eligible = [ada, dev, ...others];
  const reached = [ada, ...others];

  await openComposer(page);
  await page.getByLabel('Name (only your team sees it)').fill('Boots are back');
  await page.getByLabel('Message text').fill('The boots you asked about are back in stock.');
  await expect(
    page.getByText(`Estimate: ${eligible.length} of 22 subscribers will receive it`),
  ).toBeVisible();
  await expect(estimateLine(page, 'Will receive it')).toContainText(String(eligible.length));
  await expect(estimateLine(page, 'Outside the 24-hour window')).toContainText('1');
  await expect(estimateLine(page, 'Opted out')).toContainText('1');
  await expectAccessible(page);
  await screenshot(page, 'broadcast-estimate');
  // An order update may reach Ben outside the window; it may never reach Cleo.
  await page.getByRole('radio', { name: /^Order update/u }).check();
  await expect(
    page.getByText(`Estimate: ${eligible.length + 1} of 22 subscribers will receive it`),
  ).toBeVisible();
  await expect(estimateLine(page, 'Opted out')).toContainText('1');
  await page.getByRole('radio', { name: /^Promotion/u }).check();
  await expect(
    page.getByText(`Estimate: ${eligible.length} of 22 subscribers will receive it`),
  ).toBeVisible();

  // The sandbox's Pages send five messages a second (global-setup.ts), so the bar has time to move.
  await page.getByRole('button', { name: 'Send now' }).click();
  const bar = page.getByRole('progressbar', { name: 'Sending progress' });
  await expect(bar).toBeVisible();
  const seen = new Set<number>();
  // The rate and the time left come only from the socket's broadcast:progress.
  let sawRate = false;
  const told = page.getByText(/ of \d+ done/u);
  await expect
    .poll(
      async () => {
        const done = Number(await bar.getAttribute('aria-valuenow'));
        const midway = done > 0 && done < eligible.length;
        if (midway && ![...seen].some((was) => was > 0 && was < eligible.length))
          await screenshot(page, 'broadcast-sending');
        seen.add(done);
        sawRate ||= /\/s · about \d+ (s|min) left/u.test((await told.textContent()) ?? '');
        return done;
      },
      { timeout: 60_000, intervals: [200] },
    )
    .toBe(eligible.length);
  expect([...seen].some((done) => done > 0 && done < eligible.length)).toBe(true);
  expect(sawRate).toBe(true);
  await expect(bar).toHaveAttribute('aria-valuemax', String(eligible.length));
  await expect(page.getByText('Completed', { exact: true })).toBeVisible();

  // Cleo's STOP was answered with a confirmation; the broadcast is every other message the Page sent.
  const sent = (await simulator.sentMessages({ pageId: world.pageId })).filter(
    (message) => message.message?.text === 'The boots you asked about are back in stock.',
  );
  const psids = await Promise.all(reached.map((person) => simulator.psidFor(person.id, world.pageId)));
  expect(sent.map((message) => message.psid).sort()).toEqual(psids.sort());

  const watermark = (await simulator.now()) + 1_000;
  await simulator.deliver(ada.id, world.pageId, { watermark });
  await simulator.read(ada.id, world.pageId, watermark);
  await simulator.waitForWebhookIdle();
  await page.reload();
  const totals = page.locator('dl[aria-label="Totals"]');
  const tile = (label: string) =>
    totals
      .locator('div')
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd');
  await expect(tile('Recipients')).toHaveText(String(eligible.length));
  await expect(tile('Sent')).toHaveText(String(reached.length));
  await expect(tile('Skipped')).toHaveText('1');
  await expect(tile('Delivered')).toContainText('1');
  await expect(tile('Read')).toContainText('1');
  await expect(
    page.getByRole('img', { name: new RegExp(`${reached.length} sent, 1 delivered, 1 read`, 'u') }),
  ).toBeVisible();
  const refusals = page.getByRole('region', { name: 'Not delivered, by reason' }).getByRole('row');
  await expect(refusals).toHaveCount(2);
  await expect(refusals.last()).toContainText('1');
  await expect(refusals.last()).toContainText('user_unavailable (551)');
  const recipients = page.getByRole('region', { name: 'Recipients' }).getByRole('row');
  await expect(recipients).toHaveCount(eligible.length + 1);
  await page
    .getByRole('searchbox', { name: 'Search recipients by name or PSID' })
    .fill(ada.name.split(' ')[0]!);
  await expect(recipients).toHaveCount(2);
  await expect(recipients.last()).toContainText('Read');
  await expectAccessible(page);
  await screenshot(page, 'broadcast-results');

  await page.getByRole('link', { name: 'Broadcasts', exact: true }).click();
  const row = page.getByRole('row').filter({ hasText: 'Boots are back' });
  await expect(row).toContainText('Completed');
  await expect(row.getByRole('img', { name: `${reached.length} messages sent over the run` })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'broadcast-list');
});

test('schedule in another time zone, then cancel: nothing is sent', async ({ page, simulator }) => {
  const world = await newWorld(simulator, 'Later', 1);
  await logInAndConnect(page, world);
  await simulator.sendText(world.people[0]!.id, world.pageId, 'Hi');
  await openComposer(page);
  await page.getByLabel('Name (only your team sees it)').fill('Tokyo morning');
  await page.getByLabel('Message text').fill('Good morning from our shop.');
  await page.getByLabel('Date and time').fill('2099-03-01T09:00');
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('heading', { name: 'Tokyo morning' })).toBeVisible();
  await expect(page.getByText('Scheduled for 2099-03-01 09:00 (Asia/Tokyo)')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'broadcast-scheduled');
  await page.getByRole('button', { name: 'Cancel broadcast' }).click();
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'All broadcasts' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Tokyo morning' })).toContainText('Cancelled');
  expect(await simulator.sentMessages({ pageId: world.pageId })).toEqual([]);
});

test('a marketer has the broadcasts screen; an agent has no link to it and gets 403 from its API', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Roles', 0);
  await logInAndConnect(page, world);
  const { page: marketer } = await invitedMember(page, browser, simulator, 'Mo Marketer', 'marketer');
  await marketer.goto('/inbox');
  await marketer.getByRole('link', { name: 'Broadcasts', exact: true }).click();
  await expect(marketer.getByRole('heading', { name: 'Broadcasts', exact: true })).toBeVisible();
  expect((await marketer.request.get('/api/broadcasts')).status()).toBe(200);
  await marketer.context().close();

  const { page: agent } = await invitedMember(page, browser, simulator, 'Mo Agent');
  await agent.goto('/inbox');
  await expect(
    agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }),
  ).toBeVisible();
  await expect(agent.getByRole('link', { name: 'Broadcasts' })).toHaveCount(0);
  expect((await agent.request.get('/api/broadcasts')).status()).toBe(403);
  await agent.goto('/broadcasts');
  await expect(agent).toHaveURL(/\/inbox$/u);
  await agent.context().close();
});
