import type { Page } from '@playwright/test';
import { csrfHeader, expect, expectAccessible, screenshot, test } from './browser-test';
import { invitedMember, logInAndConnect, logInThroughInvitation, newWorld } from './sandbox-world';

/** Every box of the page's main content lies within its 375 px width (an overflowing one is named). */
async function expectWithinPhoneWidth(page: Page) {
  const overflowing = await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
}

test('an admin invites an agent by link, puts them in a team, sees which Pages they see, and removes them', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Crew', 0);
  await logInAndConnect(page, world);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Crew Admin' })).toContainText('(you)');

  // An invitation for an agent: its link is shown once, copied to the clipboard, and waits in the list.
  const invitations = page.getByRole('region', { name: 'Invitations' });
  await invitations.getByRole('combobox', { name: 'Role' }).selectOption('agent');
  await invitations.getByRole('button', { name: 'Create invitation link' }).click();
  const link = invitations.getByRole('textbox', { name: /New invitation link \(Agent\)/ });
  await expect(link).toHaveValue(/\/auth\/invitations\/[\w-]{40,}$/);
  await invitations.getByRole('button', { name: 'Copy link' }).click();
  await expect(invitations.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(copied).toBe(await link.inputValue());
  await expect(invitations.getByRole('list', { name: 'Pending invitations' })).toContainText(
    /Agent, expires .+\(in /,
  );

  const agent = await logInThroughInvitation(page, browser, simulator, 'Nia Agent', copied);
  const agentNav = agent.page.getByRole('navigation', { name: 'Main' });
  await expect(agentNav.getByRole('link', { name: 'Inbox' })).toBeVisible();
  await expect(agentNav.getByRole('link', { name: /broadcasts|automation|team|jobs/i })).toHaveCount(0);
  const adminMe = (await (await page.request.get('/api/me')).json()) as { user: { id: string } };
  for (const path of ['/api/invitations', `/api/members/${adminMe.user.id}/pages`, '/admin/jobs/'])
    expect(`${path} ${(await agent.page.request.get(path)).status()}`).toBe(`${path} 403`);
  await agent.page.goto('/team');
  await expect(agent.page.getByText('Only the workspace’s admins manage its team.')).toBeVisible();
  await agent.page.goto('/inbox');

  // The link was used: it leaves the pending list; the agent is a member and sees the Page shared with everyone.
  await page.reload();
  await expect(invitations.getByText('No invitation is waiting.')).toBeVisible();
  const nia = page.getByRole('listitem', { name: 'Nia Agent' });
  await expect(nia.getByRole('combobox', { name: 'Role' })).toHaveValue('agent');
  const niaSees = nia.getByRole('list', { name: 'Pages Nia Agent sees' });
  await expect(niaSees).toHaveText(`${world.pageName} (shared with the whole workspace)`);

  // A team is made by naming it while adding a member to it; then the Page is shared with that team only.
  await nia.getByRole('combobox', { name: 'Add to team' }).fill('night-shift');
  await nia.getByRole('button', { name: 'Add' }).click();
  await expect(nia.getByRole('list', { name: 'Teams of Nia Agent' })).toHaveText(/night-shift/);
  await expect(page.getByRole('list', { name: 'Teams', exact: true })).toHaveText('night-shift: 1 member');
  await page.goto('/pages');
  await page
    .getByRole('listitem', { name: world.pageName })
    .getByRole('combobox', { name: 'Sharing' })
    .selectOption({ label: 'Team night-shift (1 member)' });
  await expect(page.getByRole('listitem', { name: world.pageName })).toContainText(
    'Shared with team night-shift',
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(niaSees).toHaveText(`${world.pageName} (shared with team night-shift)`);
  await nia.getByRole('button', { name: 'Take Nia Agent out of team night-shift' }).click();
  await expect(nia).toContainText('Sees 0 Pages');
  await expect(niaSees).toHaveCount(0);
  await nia.getByRole('combobox', { name: 'Add to team' }).fill('night-shift');
  await nia.getByRole('button', { name: 'Add' }).click();
  await expect(niaSees).toHaveText(`${world.pageName} (shared with team night-shift)`);

  // The last admin cannot step down: the server's words are shown.
  const me = page.getByRole('listitem', { name: 'Crew Admin' });
  await me.getByRole('combobox', { name: 'Role' }).selectOption('agent');
  await expect(me.getByRole('alert')).toHaveText('A workspace keeps at least one admin.');
  await expect(me.getByRole('combobox', { name: 'Role' })).toHaveValue('admin');

  // A pending invitation is revoked.
  await invitations.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(
    invitations.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem'),
  ).toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, 'team');
  await invitations.getByRole('button', { name: /^Revoke the agent invitation/ }).click();
  await expect(invitations.getByText('No invitation is waiting.')).toBeVisible();

  // Removing the agent: their open dashboard loses access at once.
  await expect(agent.page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await nia.getByRole('button', { name: 'Remove from workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove Nia Agent?' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Remove Nia Agent' }).click();
  await expect(nia).toHaveCount(0);
  await agent.page.waitForURL((url) => url.pathname === '/login');
  expect((await agent.page.request.get('/api/me')).status()).toBe(401);
  await agent.context.close();

  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await expectAccessible(page);
  await screenshot(page, 'team-phone');
});

test('an admin opens the jobs dashboard from the navigation', async ({ page, simulator }) => {
  const world = await newWorld(simulator, 'Ops', 0);
  await logInAndConnect(page, world);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') refused.push(message.text());
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/jobs/');
  await expect(page.getByText('pages:check-health').first()).toBeVisible();
  await expect(page.getByText('accounts:remove-expired-sessions').first()).toBeVisible();
  expect(refused.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
  await screenshot(page, 'jobs');
});

test('a member of two workspaces switches between them from the header', async ({
  page,
  browser,
  simulator,
}) => {
  const north = await newWorld(simulator, 'North', 0);
  await logInAndConnect(page, north);
  const tess = await invitedMember(page, browser, simulator, 'Tess Twofold');

  const southContext = await browser.newContext();
  const southAdmin = await southContext.newPage();
  await logInAndConnect(southAdmin, await newWorld(simulator, 'South', 0));
  const invitation = await southAdmin.request.post('/api/invitations', {
    data: { role: 'admin' },
    headers: await csrfHeader(southAdmin),
  });
  await tess.page.goto(((await invitation.json()) as { url: string }).url);
  await tess.page.waitForURL((url) => url.pathname === '/dialog/oauth');
  await tess.page.getByLabel('Log in as').selectOption(tess.facebookUserId);
  await tess.page.getByRole('button', { name: /^Continue as / }).click();
  await tess.page.waitForURL((url) => url.pathname === '/');
  await southContext.close();

  const nav = tess.page.getByRole('navigation', { name: 'Main' });
  const switcher = tess.page.getByRole('combobox', { name: 'Workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('South Admin’s workspace');
  await expect(nav.getByRole('link', { name: 'Team' })).toBeVisible();
  await expectAccessible(tess.page);

  await switcher.selectOption({ label: 'North Admin’s workspace' });
  await expect(switcher.locator('option:checked')).toHaveText('North Admin’s workspace');
  await expect(tess.page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Team' })).toHaveCount(0);
  const me = (await (await tess.page.request.get('/api/me')).json()) as { role: string };
  expect(me.role).toBe('agent');

  await tess.page.setViewportSize({ width: 375, height: 740 });
  const box = await switcher.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
  await expectAccessible(tess.page);
  await screenshot(tess.page, 'workspace-switcher-phone');
  await tess.context.close();
});
