import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { csrfHeader, expect, expectAccessible, screenshot, test } from './browser-test';
import { invitedMember, logInAndConnect, newWorld } from './sandbox-world';

/** Polls the audit API until an entry of `action` is there: audit entries are written just after the action. */
async function auditedOnce(page: Page, action: string): Promise<void> {
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/audit?action=${action}`);
      return ((await res.json()) as { data: unknown[] }).data.length;
    })
    .toBeGreaterThan(0);
}

test('an admin reads the bot reply a person triggered in the audit log, filters it by Page and downloads the CSV', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Audit', 2);
  const [ada, ben] = world.people as [{ id: string; name: string }, { id: string; name: string }];
  await logInAndConnect(page, world);
  // A second Page of the same admin, so the log has two to choose between.
  const otherFbPageId = `${world.pageId}9`;
  const otherName = `${world.pageName} Outlet`;
  await simulator.addPage({ id: otherFbPageId, name: otherName, adminUserIds: [world.userId] });
  const headers = await csrfHeader(page);
  const connected = await page.request.post('/api/pages', { data: { fbPageIds: [otherFbPageId] }, headers });
  expect(connected.status()).toBe(201);
  const pages = (await (await page.request.get('/api/pages')).json()) as {
    data: { id: string; fbPageId: string }[];
  };
  const shopPageId = pages.data.find((candidate) => candidate.fbPageId === world.pageId)?.id ?? '';

  const block = await page.request.post('/api/bot/blocks', {
    data: { page: shopPageId, name: 'Opening hours', content: { text: 'We are open 9–18.' } },
    headers,
  });
  expect(block.status()).toBe(201);
  const rule = await page.request.post('/api/bot/rules', {
    data: {
      page: shopPageId,
      kind: 'keyword',
      keywordMode: 'any_of',
      keywords: ['hours'],
      block: ((await block.json()) as { _id: string })._id,
    },
    headers,
  });
  expect(rule.status()).toBe(201);
  await simulator.sendText(ada.id, world.pageId, 'hours please');
  await simulator.sendText(ben.id, otherFbPageId, 'hello outlet');
  await simulator.waitForWebhookIdle();
  await auditedOnce(page, 'bot.replied');
  // The dashboard learns of the Page connected behind its back (over the API) on a fresh load.
  await page.reload();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
  await expect(page.getByRole('heading', { name: 'Compliance' })).toBeVisible();
  const log = page.getByRole('region', { name: 'Audit log entries' });
  const botRow = log.getByRole('row').filter({ hasText: 'Bot reply' });
  await expect(botRow).toHaveCount(1);
  await expect(botRow).toContainText(world.pageName);
  await expect(botRow).toContainText(/Replied within 24 h of the person's last interaction at/);
  await expect(log.getByRole('row').filter({ hasText: otherName })).not.toHaveCount(0);
  await expect(page.getByRole('img', { name: /opt-outs and \d+ opt-ins/ })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'compliance');

  await page.getByRole('combobox', { name: 'Page', exact: true }).selectOption({ label: otherName });
  await expect(page).toHaveURL(/\?pageId=/);
  await expect(log.getByRole('row').filter({ hasText: 'Bot reply' })).toHaveCount(0);
  await expect(log.getByRole('row').filter({ hasText: 'Opt-in' })).toHaveCount(1);
  // Every row but the header is the outlet's.
  await expect(log.getByRole('row').filter({ hasNotText: otherName })).toHaveCount(1);

  await page.getByRole('combobox', { name: 'Page', exact: true }).selectOption({ label: world.pageName });
  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Bot replies' });
  await expect(log.getByRole('row')).toHaveCount(2);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pagewire-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path())).toString();
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('at,page,actor kind,actor,action,object kind,object,basis,details');
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toContain(`,${shopPageId},system,bot,bot.replied,message,`);

  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.getByRole('heading', { name: 'Compliance' })).toBeVisible();
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await screenshot(page, 'compliance-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  const agent = await invitedMember(page, browser, simulator, 'Agent Audit');
  await expect(agent.page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(agent.page.getByRole('link', { name: 'Compliance' })).toHaveCount(0);
  expect((await agent.page.request.get('/api/audit')).status()).toBe(403);
  await agent.context.close();
});
