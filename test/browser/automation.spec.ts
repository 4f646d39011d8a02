import type { Page } from '@playwright/test';
import type { SimulatorControl } from '../../simulator/control/client';
import { csrfHeader, expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld, type SandboxWorld } from './sandbox-world';

const HOURS = 'We are open 9–18, Monday to Saturday.';
const SANDALS = 'Sandals from 39 €, in every size.';

/** The messages Meta received for one person on the world's Page, as the simulator recorded them. */
async function textsSentTo(simulator: SimulatorControl, world: SandboxWorld, personId: string) {
  const psid = await simulator.psidFor(personId, world.pageId);
  const sent = await simulator.sentMessages({ pageId: world.pageId, psid });
  return sent.flatMap((message) => (message.message?.text ? [message.message.text] : []));
}

async function onPhone(page: Page, name: string) {
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a keyword rule and its block: the person who writes the keyword gets exactly one reply', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Bot', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automation' }).click();
  await expect(page.getByRole('heading', { name: 'Automation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bot' })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('button', { name: 'New block' }).click();
  const blockForm = page.getByRole('form', { name: 'New block' });
  await blockForm.getByLabel('Block name').fill('Opening hours');
  await blockForm.getByLabel('Text').fill(HOURS);
  await blockForm.getByRole('button', { name: 'Add a quick reply' }).click();
  // 21 characters: the server's count says so while typing, before anything is saved.
  await blockForm.getByLabel('Quick reply 1 title').fill('Our spring collection');
  await blockForm.getByLabel('Quick reply 1 payload').fill('SPRING');
  await expect(blockForm.getByText('21 / 20 — too long for Facebook')).toBeVisible();
  await expect(blockForm.getByText(/at most 20 characters/)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'automation-block-editor');
  await blockForm.getByLabel('Quick reply 1 title').fill('Spring collection');
  await expect(blockForm.getByText('17 / 20')).toBeVisible();
  await blockForm.getByRole('button', { name: 'Save the block' }).click();
  await expect(
    page.getByRole('list', { name: 'Blocks' }).getByRole('listitem', { name: 'Opening hours' }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'New rule' }).click();
  const ruleForm = page.getByRole('form', { name: 'New rule' });
  await ruleForm.getByLabel('The message').selectOption({ label: 'has any of the words' });
  await ruleForm.getByLabel('Keywords (separated by commas)').fill('hours, open');
  await ruleForm.getByLabel('Answer with').selectOption({ label: 'Opening hours' });
  await ruleForm.getByRole('button', { name: 'Add the rule' }).click();
  const rules = page.getByRole('list', { name: 'Rules in the order the bot tries them' });
  await expect(rules.getByRole('listitem')).toHaveCount(1);
  await expect(rules).toContainText('has any of the words “hours”, “open” → Opening hours');
  const leads = page.getByRole('list', { name: 'Where each quick reply and button leads' });
  await expect(leads).toContainText('Opening hours → quick reply “Spring collection” → no rule answers it');

  // The quick reply's payload leads to a second block: the flow graph draws block → quick reply → block.
  await page.getByRole('button', { name: 'New block' }).click();
  await blockForm.getByLabel('Block name').fill('Spring collection');
  await blockForm.getByLabel('Text').fill(SANDALS);
  await blockForm.getByRole('button', { name: 'Save the block' }).click();
  await page.getByRole('button', { name: 'New rule' }).click();
  await ruleForm.getByLabel('Kind').selectOption({ label: 'Button or quick reply payload' });
  await ruleForm.getByLabel('Payloads (separated by commas)').fill('SPRING');
  await ruleForm.getByLabel('Answer with').selectOption({ label: 'Spring collection' });
  await ruleForm.getByRole('button', { name: 'Add the rule' }).click();
  await expect(rules.getByRole('listitem')).toHaveCount(2);
  await expect(leads).toContainText('Opening hours → quick reply “Spring collection” → Spring collection');
  await expect(page.getByRole('img', { name: /The bot’s flows/ })).toBeVisible();
  await page.getByRole('button', { name: 'Move rule 2 up' }).click();
  await expect(rules.getByRole('listitem').first()).toContainText('a tap sends SPRING');

  await simulator.sendText(ada.id, world.pageId, 'What are your hours on Saturday?');
  await expect.poll(() => textsSentTo(simulator, world, ada.id), { timeout: 15_000 }).toContain(HOURS);
  await simulator.waitForWebhookIdle();
  expect((await textsSentTo(simulator, world, ada.id)).filter((text) => text === HOURS)).toHaveLength(1);
  await simulator.sendQuickReply(ada.id, world.pageId, 'Spring collection', 'SPRING');
  await expect
    .poll(() => textsSentTo(simulator, world, ada.id), { timeout: 15_000 })
    .toEqual([HOURS, SANDALS]);

  await page.goto('/inbox');
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: ada.name })
    .click();
  const thread = page.getByRole('log', { name: 'Messages' });
  await expect(thread).toContainText(HOURS);
  await expect(thread.getByRole('article').filter({ hasText: HOURS })).toHaveCount(1);

  await page.goto(`/automation/bot`);
  await expect(rules.getByRole('listitem')).toHaveCount(2);
  await expectAccessible(page);
  await screenshot(page, 'automation-bot');
  await onPhone(page, 'automation-bot');
});

test('a capture on a new post: a comment moves the counters live and the log says why', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Capture', 2);
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];
  await logInAndConnect(page, world);
  await page.goto('/automation/captures');
  await page.getByRole('button', { name: 'New capture' }).click();
  const form = page.getByRole('form', { name: 'New capture' });
  await form.getByLabel('Name (for you; people never see it)').fill('Spring price list');
  await form.getByLabel('Post text').fill('Spring is here! Comment “price” and we send you the list.');
  await form.getByLabel(/Only comments with one of these words/).fill('price');
  await form
    .getByRole('group', { name: /^Private reply/ })
    .getByLabel('Text')
    .fill('Here is our spring price list: shoes from 49 €.');
  await expectAccessible(page);
  await screenshot(page, 'automation-capture-form');
  await form.getByRole('button', { name: 'Publish the post and start the capture' }).click();

  await expect(page.getByRole('heading', { name: 'Spring price list' })).toBeVisible();
  const counter = (label: string) =>
    page
      .getByRole('region', { name: 'Spring price list' })
      .locator('dl > div')
      .filter({ hasText: label })
      .getByRole('definition');
  await expect(counter('Comments seen')).toHaveText('0');
  const log = page.getByRole('region', { name: 'Every comment, and why' });
  await expect(log).toContainText('No comment yet');
  const published = (await simulator.page(world.pageId)).posts.find((post) =>
    post.message?.startsWith('Spring is here!'),
  );
  expect(published).toBeDefined();

  await simulator.comment(ada.id, published?.id ?? '', 'price please?');
  await expect(counter('Replied privately')).toHaveText('1');
  await expect(counter('Comments seen')).toHaveText('1');
  await expect(log.getByRole('listitem').first()).toContainText('Private reply sent to a matching comment');
  await simulator.comment(ben.id, published?.id ?? '', 'Lovely shoes');
  await expect(counter('Skipped')).toHaveText('1');
  await expect(log.getByRole('listitem').first()).toContainText(
    "Skipped because: The comment's words: no keyword match.",
  );
  await expect(log.getByRole('listitem').first()).toContainText('Lovely shoes');

  const privateReplies = (await simulator.sentMessages({ pageId: world.pageId })).filter(
    (sent) => sent.recipient.comment_id !== undefined,
  );
  expect(privateReplies).toHaveLength(1);
  await expectAccessible(page);
  await screenshot(page, 'automation-capture');
  await onPhone(page, 'automation-capture');
});

/** Private replies Meta received on the world's Page, one per comment answered. */
async function privateRepliesOn(simulator: SimulatorControl, world: SandboxWorld) {
  return (await simulator.sentMessages({ pageId: world.pageId })).filter(
    (sent) => sent.recipient.comment_id !== undefined,
  );
}

test('editing a capture’s keyword: the new word gets the new private reply, the old one is skipped and says why', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'CaptureEdit', 2);
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];
  await logInAndConnect(page, world);
  const [connected] = ((await (await page.request.get('/api/pages')).json()) as { data: { id: string }[] })
    .data;
  const { postId } = await simulator.createPost(world.pageId, 'Boots for every season.');
  const created = await page.request.post('/api/captures', {
    data: {
      page: connected!.id,
      name: 'Boots',
      target: { kind: 'existing_post', postId },
      includeKeywords: ['price'],
      privateReply: { text: 'Boots from 59 €.' },
    },
    headers: await csrfHeader(page),
  });
  expect(created.status()).toBe(201);
  const captureId = ((await created.json()) as { _id: string })._id;

  await page.goto('/automation/captures');
  await page.getByRole('link', { name: 'Boots' }).click();
  await page.getByRole('button', { name: 'Edit the capture' }).click();
  const form = page.getByRole('form', { name: 'Edit Boots' });
  const include = form.getByLabel(/Only comments with one of these words/);
  await expect(include).toHaveValue('price');
  await expect(form.getByRole('group', { name: 'Which post' })).toContainText(postId);
  await expect(form.getByRole('radio')).toHaveCount(0);
  const privateText = form.getByRole('group', { name: /^Private reply/ }).getByLabel('Text');
  await expect(privateText).toHaveValue('Boots from 59 €.');

  await include.fill('size');
  await privateText.fill('   ');
  await form.getByRole('button', { name: 'Save the capture' }).click();
  await expect(form.getByRole('alert')).toContainText('Private reply: The text must not be empty.');
  await expectAccessible(page);
  await screenshot(page, 'automation-capture-edit');
  await onPhone(page, 'automation-capture-edit');
  const unchanged = await page.request.get(`/api/captures/${captureId}`);
  expect(((await unchanged.json()) as { includeKeywords: string[] }).includeKeywords).toEqual(['price']);

  await privateText.fill('Sizes 36 to 46, in every colour.');
  await form.getByRole('button', { name: 'Save the capture' }).click();
  await expect(form).toHaveCount(0);
  const summary = page.getByRole('region', { name: 'Boots' });
  await expect(summary).toContainText('Only comments with: size');
  await expect(summary).toContainText('Private reply: Sizes 36 to 46, in every colour.');

  const log = page.getByRole('region', { name: 'Every comment, and why' });
  await simulator.comment(ada.id, postId, 'Which size for kids?');
  await expect(log.getByRole('listitem').first()).toContainText('Which size for kids?');
  await expect(log.getByRole('listitem').first()).toContainText('Replied');
  await expect(log.getByRole('listitem').first()).toContainText('Private reply sent to a matching comment');
  await simulator.comment(ben.id, postId, 'price please?');
  await expect(log.getByRole('listitem').first()).toContainText('price please?');
  await expect(log.getByRole('listitem').first()).toContainText(
    "Skipped because: The comment's words: no keyword match.",
  );
  const replies = await privateRepliesOn(simulator, world);
  expect(replies.map((reply) => reply.message?.text)).toEqual(['Sizes 36 to 46, in every colour.']);
});

test('a capture on a post picked from the Page’s recent posts counts the comments on that post only', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Picker', 2);
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];
  await logInAndConnect(page, world);
  const boots = await simulator.createPost(world.pageId, 'Summer boots are back in store.');
  const coats = await simulator.createPost(world.pageId, 'Winter coats: last days of the sale.');

  await page.goto('/automation/captures');
  await page.getByRole('button', { name: 'New capture' }).click();
  const form = page.getByRole('form', { name: 'New capture' });
  await form.getByLabel('Name (for you; people never see it)').fill('Summer boots');
  await form.getByLabel('A post the Page already published').check();
  const picker = form.getByRole('combobox', { name: 'Post', exact: true });
  const options = picker.locator('option');
  await expect(options).toHaveText([/Winter coats/, /Summer boots/]);
  await picker.selectOption({
    label: (await options.filter({ hasText: 'Summer boots' }).textContent()) ?? '',
  });
  await expect(picker).toHaveValue(boots.postId);
  await form
    .getByRole('group', { name: /^Private reply/ })
    .getByLabel('Text')
    .fill('Our summer boots: from 49 €, sizes 36 to 46.');
  await expectAccessible(page);
  await screenshot(page, 'automation-capture-existing-post');
  await onPhone(page, 'automation-capture-existing-post');
  await form.getByRole('button', { name: 'Start the capture' }).click();

  await expect(page.getByRole('heading', { name: 'Summer boots' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summer boots' })).toContainText(boots.postId);
  const counter = (label: string) =>
    page
      .getByRole('region', { name: 'Summer boots' })
      .locator('dl > div')
      .filter({ hasText: label })
      .getByRole('definition');
  await expect(counter('Comments seen')).toHaveText('0');

  await simulator.comment(ben.id, coats.postId, 'Do you have it in red?');
  await simulator.waitForWebhookIdle();
  const { commentId } = await simulator.comment(ada.id, boots.postId, 'Lovely, in size 38?');
  await expect(counter('Replied privately')).toHaveText('1');
  await expect(counter('Comments seen')).toHaveText('1');
  const log = page.getByRole('region', { name: 'Every comment, and why' });
  await expect(log.getByRole('listitem')).toHaveCount(1);
  await expect(log.getByRole('listitem').first()).toContainText('Lovely, in size 38?');
  const replies = await privateRepliesOn(simulator, world);
  expect(replies.map((reply) => reply.recipient.comment_id)).toEqual([commentId]);
  await expectAccessible(page);
});

test('editing a keyword rule’s words and match kind: the new keyword answers, the old one no longer does', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Edit', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  const [connected] = ((await (await page.request.get('/api/pages')).json()) as { data: { id: string }[] })
    .data;
  const headers = await csrfHeader(page);
  const block = await page.request.post('/api/bot/blocks', {
    data: { page: connected!.id, name: 'Opening hours', content: { text: HOURS } },
    headers,
  });
  expect(block.status()).toBe(201);
  const rule = await page.request.post('/api/bot/rules', {
    data: {
      page: connected!.id,
      kind: 'keyword',
      keywords: ['hours'],
      block: ((await block.json()) as { _id: string })._id,
    },
    headers,
  });
  expect(rule.status()).toBe(201);

  await page.goto('/automation/bot');
  const rules = page.getByRole('list', { name: 'Rules in the order the bot tries them' });
  await expect(rules).toContainText('When the message contains the phrase “hours” → Opening hours');
  await page.getByRole('button', { name: 'Edit rule 1' }).click();
  const editForm = page.getByRole('form', { name: 'Edit rule 1' });
  await expect(editForm.getByLabel('Keywords (separated by commas)')).toHaveValue('hours');
  await expect(editForm.getByLabel('Kind')).toBeDisabled();
  await editForm.getByLabel('The message').selectOption({ label: 'is exactly' });
  await editForm.getByLabel('Keywords (separated by commas)').fill('');
  await editForm.getByRole('button', { name: 'Save the rule' }).click();
  await expect(editForm.getByText('A keyword rule needs at least one keyword.')).toBeVisible();
  await editForm.getByLabel('Keywords (separated by commas)').fill('when are you open');
  await expectAccessible(page);
  await screenshot(page, 'automation-rule-edit');
  await editForm.getByRole('button', { name: 'Save the rule' }).click();
  await expect(editForm).toHaveCount(0);
  await expect(rules).toContainText('When the message is exactly “when are you open” → Opening hours');

  await simulator.sendText(ada.id, world.pageId, 'What are your hours?');
  await simulator.sendText(ada.id, world.pageId, 'When are you open');
  await expect.poll(() => textsSentTo(simulator, world, ada.id), { timeout: 15_000 }).toContain(HOURS);
  await simulator.waitForWebhookIdle();
  expect(await textsSentTo(simulator, world, ada.id)).toEqual([HOURS]);
});

test('the Messenger Profile greeting is saved on Facebook, with what is left of the budget shown', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Profile', 0);
  await logInAndConnect(page, world);
  await page.goto('/automation/profile');
  const budget = page.getByRole('status', { name: 'Messenger Profile budget' });
  // Reading the profile is one call of the ten.
  await expect(budget).toContainText('9 of 10 left');
  const form = page.getByRole('form', { name: 'Messenger Profile' });
  const greeting = `Hi {{user_first_name}}, welcome to ${world.pageName}!`;
  // The server counts the greeting as the save will, while it is typed.
  await form.getByLabel(/^Greeting/).fill('x'.repeat(161));
  await expect(form.getByText('161 / 160 — too long for Facebook')).toBeVisible();
  await expect(form.getByText(/The greeting holds at most 160 characters/)).toBeVisible();
  await form.getByLabel(/^Greeting/).fill(greeting);
  await expect(form.locator('#greeting-count')).toHaveText(`${[...greeting].length} / 160`);
  await form.getByRole('button', { name: 'Add an ice breaker' }).click();
  await form.getByLabel('Ice breaker 1 question').fill('Are you open today?');
  await form.getByLabel('Ice breaker 1 payload').fill('HOURS');
  await form.getByRole('button', { name: 'Save on Facebook' }).click();
  await expect(page.getByText('Saved on Facebook.')).toBeVisible();
  await expect(budget).toContainText('8 of 10 left');
  const { messengerProfile } = await simulator.page(world.pageId);
  expect(messengerProfile.greeting).toEqual([{ locale: 'default', text: greeting }]);

  await page.reload();
  await expect(page.getByRole('status', { name: 'Messenger Profile budget' })).toContainText('7 of 10 left');
  await expect(page.getByRole('form', { name: 'Messenger Profile' }).getByLabel(/^Greeting/)).toHaveValue(
    greeting,
  );
  await expectAccessible(page);
  await screenshot(page, 'automation-profile');
  await onPhone(page, 'automation-profile');
});

test('an agent sees no automation: no link, the screen says whose it is, and the routes answer 403', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'NoBot', 0);
  await logInAndConnect(page, world);
  const invitation = await page.request.post('/api/invitations', {
    data: { role: 'agent' },
    headers: await csrfHeader(page),
  });
  const { url: invitationUrl } = (await invitation.json()) as { url: string };
  const agentId = `1099${Date.now() % 1_000_000_000}`;
  await simulator.addUser({ id: agentId, name: 'Ann Agent', email: `ann${agentId}@example.com` });
  const other = await browser.newContext();
  const agentPage = await other.newPage();
  await agentPage.goto(invitationUrl);
  await agentPage.getByLabel('Log in as').selectOption(agentId);
  await agentPage.getByRole('button', { name: /^Continue as / }).click();
  await agentPage.waitForURL((url) => !url.pathname.startsWith('/dialog'));

  const nav = agentPage.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Inbox' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Automation' })).toHaveCount(0);
  await agentPage.goto('/automation/bot');
  await expect(agentPage.getByText('Automation is for the workspace’s admins and marketers.')).toBeVisible();
  for (const path of ['/api/bot/rules', '/api/bot/blocks', '/api/captures']) {
    expect((await agentPage.request.get(path)).status()).toBe(403);
  }
  await other.close();
});
