import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { invitedMember, logInAndConnect, newWorld } from './sandbox-world';

const conversationList = (page: Page) => page.getByRole('list', { name: 'Conversations' });
const replyBox = (page: Page) => page.getByRole('textbox', { name: 'Reply to the person' });

async function reply(page: Page, text: string) {
  await replyBox(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

test('a person writes and the conversation slots in live; the reply reaches Meta once, then delivered and read', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Live');
  await logInAndConnect(page, world);
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { name: 'Inbox', exact: true })).toBeAttached();
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];

  await simulator.sendText(ada.id, world.pageId, 'Do you deliver on Sundays?');
  const adaRow = conversationList(page).getByRole('link').filter({ hasText: ada.name });
  // Live: no reload, within a second or two of the webhook even on a busy machine.
  await expect(adaRow).toBeVisible({ timeout: 5_000 });
  await expect(adaRow.getByLabel('1 unread')).toBeVisible();
  await simulator.sendText(ben.id, world.pageId, 'Hello!');
  await expect(conversationList(page).getByRole('link').first()).toContainText(ben.name);
  await screenshot(page, 'inbox-list');

  await adaRow.click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('Do you deliver on Sundays?');
  await expect(page.getByRole('status').filter({ hasText: 'Standard reply window closes in' })).toBeVisible();
  await reply(page, 'Yes, from 9 to 12.');
  const sentBubble = page.getByRole('article').filter({ hasText: 'Yes, from 9 to 12.' });
  await expect(sentBubble).toContainText('Sent');
  const psid = await simulator.psidFor(ada.id, world.pageId);
  const sent = await simulator.sentMessages({ pageId: world.pageId, psid });
  const replies = sent.filter((message) => message.message?.text === 'Yes, from 9 to 12.');
  expect(replies).toHaveLength(1);
  expect(replies[0]?.messagingType).toBe('RESPONSE');

  await simulator.deliver(ada.id, world.pageId);
  await expect(sentBubble).toContainText('Delivered');
  await simulator.read(ada.id, world.pageId);
  await expect(sentBubble).toContainText('Read');
  await expectAccessible(page);
  await screenshot(page, 'inbox-thread');
});

test('the contact panel edits tags that persist, and STOP shows the person unsubscribed', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Tags', 1);
  await logInAndConnect(page, world);
  const [ada] = world.people as [{ id: string; name: string }];
  await simulator.sendText(ada.id, world.pageId, 'I want the newsletter');
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  const contact = page.getByRole('complementary', { name: 'Contact' });
  await expect(contact).toContainText('Subscribed');
  await contact.getByLabel('Add tag').fill('vip');
  await contact.getByRole('button', { name: 'Add' }).click();
  await expect(contact.getByRole('button', { name: 'Remove tag vip' })).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole('complementary', { name: 'Contact' }).getByRole('button', { name: 'Remove tag vip' }),
  ).toBeVisible();

  await simulator.sendText(ada.id, world.pageId, 'STOP');
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Contact' })).toContainText('Unsubscribed');
  await screenshot(page, 'inbox-contact');
});

test('the contact panel lists the past conversations, and each opens the thread where it began', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Past', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'Where is my order?');
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  const contact = page.getByRole('complementary', { name: 'Contact' });
  const past = contact.getByRole('list').filter({ has: page.getByRole('link', { name: /^Resolved / }) });
  await expect(contact).toContainText('None resolved yet.');

  await reply(page, 'It ships today.');
  await expect(page.getByRole('article').filter({ hasText: 'It ships today.' })).toContainText('Sent');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(past.getByRole('link')).toHaveText([/^Resolved .+ by Past Admin · 2 messages$/]);

  await simulator.sendText(ada.id, world.pageId, 'It has not arrived.');
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('It has not arrived.');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(past.getByRole('link')).toHaveText([
    /^Resolved .+ by Past Admin · 1 message$/,
    /^Resolved .+ by Past Admin · 2 messages$/,
  ]);
  await expectAccessible(page);
  await screenshot(page, 'inbox-past-conversations');

  await past.getByRole('link').nth(1).click();
  await expect(page.getByRole('article').filter({ hasText: 'Where is my order?' })).toBeFocused();
  await past.getByRole('link').nth(0).click();
  await expect(page.getByRole('article').filter({ hasText: 'It has not arrived.' })).toBeFocused();
});

test('two agents: one claims, the other sees who holds it and cannot reply', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Claim', 1);
  await logInAndConnect(page, world);
  const [ada] = world.people as [{ id: string; name: string }];
  const { page: samPage, context: other } = await invitedMember(page, browser, simulator, 'Sam Second');

  await simulator.sendText(ada.id, world.pageId, 'Who can help me?');
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  await samPage.goto('/inbox');
  await conversationList(samPage).getByRole('link').filter({ hasText: ada.name }).click();

  await samPage.getByRole('button', { name: 'Claim' }).click();
  await expect(samPage.getByText('Claimed by you')).toBeVisible();
  await page.reload();
  await expect(page.getByText('Claimed by Sam Second').first()).toBeVisible();
  await expect(replyBox(page)).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();

  // Assigned to Sam by the admin: it shows in Sam's "Mine" without a reload, even when the assignment arrives while
  // that list is loading (its answer, read before the assignment, comes after it).
  let assigned!: () => void;
  const assignment = new Promise<void>((resolve) => (assigned = resolve));
  let mineAsked!: () => void;
  const mineInFlight = new Promise<void>((resolve) => (mineAsked = resolve));
  await samPage.route(
    /\/api\/conversations\?.*view=mine/,
    async (route) => {
      const before = await route.fetch();
      mineAsked();
      await assignment;
      await route.fulfill({ response: before });
    },
    { times: 1 },
  );
  await samPage.getByRole('tab', { name: 'Mine' }).click();
  await mineInFlight;
  await page.getByRole('combobox', { name: 'Assignee' }).selectOption({ label: 'Assigned to Sam Second' });
  // Sam's open thread shows the assignment: the event has reached Sam's dashboard while the list still loads.
  await expect(samPage.getByRole('combobox', { name: 'Assignee' })).toHaveValue(/^[0-9a-f]{24}$/);
  assigned();
  await expect(conversationList(samPage).getByRole('link').filter({ hasText: ada.name })).toBeVisible();
  await other.close();
});

test('the socket drops and comes back: the banner says so and the missed message appears', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Drop', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  // Every socket.io connection goes through here, so the test can cut the live one as a network would.
  const sockets: { close(): Promise<void> }[] = [];
  let refuse = false;
  await page.routeWebSocket(/\/socket\.io\//, (socket) => {
    if (refuse) return void socket.close();
    socket.connectToServer();
    sockets.push(socket);
  });
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'first message');
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('first message');

  refuse = true;
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await expect(page.getByRole('alert').filter({ hasText: 'Offline' })).toBeVisible();
  await simulator.sendText(ada.id, world.pageId, 'sent while you were offline');
  await simulator.waitForWebhookIdle();
  refuse = false;
  await expect(page.getByRole('alert').filter({ hasText: 'Back online' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('sent while you were offline');
});

test('the Pages screen shows health, subscribers and the m.me link, and is accessible', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Pages', 1);
  await logInAndConnect(page, world);
  const card = page.getByRole('listitem', { name: world.pageName });
  await expect(card).toContainText('Healthy');
  await expect(card).toContainText(`https://m.me/${world.pageId}`);
  await expect(card).toContainText('subscribers');
  await expectAccessible(page);
  await screenshot(page, 'pages');
});

test('on a 375-pixel phone the inbox shows one pane at a time', async ({ page, simulator }) => {
  const world = await newWorld(simulator, 'Phone', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'Writing from my phone');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('Writing from my phone');
  await expect(conversationList(page)).toBeHidden();
  await expect(replyBox(page)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'inbox-phone');

  // The contact panel has no column on a phone: its Contact button opens it over the thread, tags editable there.
  await expect(page.getByRole('complementary', { name: 'Contact' })).toBeHidden();
  await page.getByRole('button', { name: 'Contact', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: ada.name });
  await dialog.getByLabel('Add tag').fill('mobile');
  await dialog.getByLabel('Add tag').press('Enter');
  await expect(dialog.getByRole('button', { name: 'Remove tag mobile' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'inbox-phone-contact');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: '← Back' }).click();
  await expect(conversationList(page)).toBeVisible();
});

test('? lists the keyboard shortcuts in a modal dialog that holds the focus and gives it back; j opens the next conversation', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Keys', 2);
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'first');
  await simulator.sendText(ben.id, world.pageId, 'second');
  await page.goto('/inbox');
  await expect(conversationList(page).getByRole('link')).toHaveCount(2);
  await page.keyboard.press('j');
  await expect(page.getByRole('region', { name: `Conversation with ${ben.name}` })).toBeVisible();
  await page.keyboard.press('j');
  await expect(page.getByRole('region', { name: `Conversation with ${ada.name}` })).toBeVisible();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(close).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();
  // Behind the dialog no shortcut acts.
  await page.keyboard.press('k');
  await expect(page.getByRole('region', { name: `Conversation with ${ada.name}` })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'inbox-shortcuts');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await opener.click();
  await expect(close).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await opener.click();
  await close.click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  await page.setViewportSize({ width: 375, height: 740 });
  await page.keyboard.press('?');
  const box = await dialog.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test("an admin exports a person's data and erases them; their thread leaves the inbox", async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Erase', 1);
  await logInAndConnect(page, world);
  const [ada] = world.people as [{ id: string; name: string }];
  await simulator.sendText(ada.id, world.pageId, 'Please forget me: 12 Rue Haute');
  await page.goto('/inbox');
  await conversationList(page).getByRole('link').filter({ hasText: ada.name }).click();
  const contact = page.getByRole('complementary', { name: 'Contact' });

  const download = page.waitForEvent('download');
  await contact.getByRole('link', { name: 'Export data (JSON)' }).click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    messages: { text?: string }[];
  };
  expect(exported.messages.map((message) => message.text)).toContain('Please forget me: 12 Rue Haute');

  await contact.getByRole('button', { name: 'Erase this person' }).click();
  const confirm = contact.getByRole('group', { name: 'Erase this person' });
  await expectAccessible(page);
  await screenshot(page, 'inbox-erase-person');
  await confirm.getByRole('button', { name: 'Erase for good' }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(conversationList(page).getByRole('link').filter({ hasText: ada.name })).toHaveCount(0);
});
