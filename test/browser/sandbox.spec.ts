import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

test('the sandbox panel writes as a simulated person, and the agent sees it in the inbox', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Panel', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  await page.getByRole('link', { name: 'Sandbox' }).click();
  await page.getByRole('combobox', { name: 'Person' }).selectOption(ada.id);
  await page.getByRole('combobox', { name: 'Page' }).selectOption(world.pageId);
  await page.getByLabel('Message from the person').fill('Hi from the sandbox panel');
  await page.getByRole('button', { name: 'Send as the person' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'wrote “Hi from the sandbox panel”' }),
  ).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'sandbox');

  await page.getByRole('link', { name: 'Inbox' }).click();
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: ada.name })
    .click();
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText('Hi from the sandbox panel');
});
