import { csrfHeader, expect, expectAccessible, screenshot, test } from './browser-test';
import { invitedMember, logInAndConnect, newWorld } from './sandbox-world';

test('an admin shares a Page with one team: it stays shared after a reload, and an agent outside the team loses its conversations', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Team', 1);
  const [ada] = world.people as [{ id: string; name: string }];
  await logInAndConnect(page, world);
  const sam = await invitedMember(page, browser, simulator, 'Sam Outside');
  await simulator.sendText(ada.id, world.pageId, 'Is the night shift open?');
  const samsInbox = sam.page.getByRole('list', { name: 'Conversations' }).getByRole('link');
  await sam.page.goto('/inbox');
  await expect(samsInbox.filter({ hasText: ada.name })).toBeVisible();

  const card = page.getByRole('listitem', { name: world.pageName });
  const sharing = card.getByRole('combobox', { name: 'Sharing' });
  await sharing.selectOption({ label: 'One team…' });
  await expect(card.getByRole('alert')).toContainText('No team exists yet');
  await expect(sharing).toHaveValue('team:');
  await expectAccessible(page);

  const me = (await (await page.request.get('/api/me')).json()) as { user: { id: string } };
  const madeTeam = await page.request.patch(`/api/members/${me.user.id}`, {
    data: { teamIds: ['night-shift'] },
    headers: await csrfHeader(page),
  });
  expect(madeTeam.status()).toBe(204);
  await page.reload();
  await sharing.selectOption({ label: 'Team night-shift (1 member)' });
  await expect(card).toContainText('Shared with team night-shift');

  await page.reload();
  await expect(sharing).toHaveValue('team:night-shift');
  await expect(card).toContainText('Shared with team night-shift');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'pages-team-sharing');

  await sam.page.reload();
  await expect(sam.page.getByText('No conversation here yet.')).toBeVisible();
  await expect(samsInbox.filter({ hasText: ada.name })).toHaveCount(0);
  await sam.context.close();

  await page.setViewportSize({ width: 375, height: 740 });
  for (const shown of [card, sharing]) {
    const box = await shown.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
  }
  await expectAccessible(page);
});
