import { expect, expectAccessible, test } from './browser-test';

test('the API reference lists every operation with its authentication, readable on a phone, with no script', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const openapi = (await (await page.request.get('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, { summary: string }>>;
  };
  const operations = Object.values(openapi.paths).flatMap((item) => Object.values(item));

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { name: /^Pagewire API/u, level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3 })).toHaveCount(operations.length);
  await expect(page.locator('script')).toHaveCount(0);
  await page
    .getByRole('navigation', { name: 'Features' })
    .getByRole('link', { name: 'Conversations' })
    .click();
  await expect(page.getByRole('heading', { name: 'Conversations', level: 2 })).toBeInViewport();
  const reply = page.locator('section', { has: page.getByText('/api/conversations/{id}/messages') }).filter({
    hasText: 'Reply',
  });
  await expect(reply).toContainText('sessionCookie + csrfHeader or bearerAuth with the scope conversations');
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/api-reference.png' });

  await page.setViewportSize({ width: 375, height: 800 });
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(scrollWidth).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/screens/api-reference-phone.png' });
});
