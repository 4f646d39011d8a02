import { expect, expectAccessible, loginThroughSimulator, screenshot, test } from './browser-test';

interface RequestedPermission {
  name: string;
  reason: string;
}

test('the sign-in page lists every permission Pagewire asks for with its reason, and says Meta is simulated', async ({
  page,
}) => {
  const { data: permissions } = (await (await page.request.get('/api/permissions')).json()) as {
    data: RequestedPermission[];
  };
  expect(permissions.length).toBeGreaterThan(0);

  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to Pagewire', exact: true })).toBeVisible();
  const name = 'Continue with Facebook';
  await expect(page.getByRole('link', { name }).or(page.getByRole('button', { name }))).toBeVisible();
  const items = page.getByRole('list', { name: 'Permissions we ask for' }).getByRole('listitem');
  await expect(items).toHaveCount(permissions.length);
  for (const permission of permissions) {
    await expect(
      items.filter({ hasText: permission.name }).filter({ hasText: permission.reason }),
    ).toHaveCount(1);
  }
  await expect(page.getByRole('status').filter({ hasText: 'Meta is simulated' })).toBeVisible();

  await expectAccessible(page);
  await screenshot(page, 'sign-in');
});

test('signing in with Facebook through the simulator lands on the Overview, one click from the inbox', async ({
  page,
}) => {
  await loginThroughSimulator(page);

  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Open the inbox' }).click();
  await expect(page.getByRole('heading', { name: 'Inbox', exact: true })).toBeVisible();
});
