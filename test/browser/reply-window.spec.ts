import { expect, expectAccessible, screenshot, test } from './browser-test';
import { advanceClock, logInAndConnect, newWorld } from './sandbox-world';

test('the reply box follows the window: human agent text after 24 h, closed after 7 days with notes still allowed', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Window', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'Is my order ready?');
  await page.goto('/inbox');
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: ada.name })
    .click();
  const reply = page.getByRole('textbox', { name: 'Reply to the person' });
  await expect(page.getByRole('status').filter({ hasText: 'Standard reply window closes in' })).toBeVisible();

  await advanceClock(page, 30);
  await page.reload();
  await expect(
    page.getByRole('status').filter({ hasText: 'Human agent reply: typed text only, until' }),
  ).toBeVisible();
  await expect(page.getByLabel('Quick replies')).toHaveCount(0);
  await reply.fill('Yes, it is ready for pick-up.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('article').filter({ hasText: 'Yes, it is ready for pick-up.' })).toContainText(
    'Sent',
  );
  const psid = await simulator.psidFor(ada.id, world.pageId);
  const sent = (await simulator.sentMessages({ pageId: world.pageId, psid })).filter(
    (message) => message.message?.text === 'Yes, it is ready for pick-up.',
  );
  expect(sent).toHaveLength(1);
  expect(sent[0]?.tag).toBe('HUMAN_AGENT');
  await screenshot(page, 'inbox-human-agent-window');

  await advanceClock(page, 24 * 7);
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Messaging window closed' })).toBeVisible();
  await expect(reply).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  await page.getByRole('radio', { name: 'Private note' }).click();
  const note = page.getByRole('textbox', { name: 'Private note for the team' });
  await note.fill('Called her instead.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('article', { name: /^Note from/ })).toContainText('Called her instead.');
  await expectAccessible(page);
  await screenshot(page, 'inbox-window-closed');
});
