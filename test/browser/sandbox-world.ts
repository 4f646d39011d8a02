import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { SimulatorControl } from '../../simulator/control/client';
import { csrfHeader, expect, loginThroughSimulator } from './browser-test';

/**
 * A workspace of its own for one spec in the shared sandbox: a Facebook user who manages a new Page, and people who
 * write to it. Ids are numeric, as Meta's are; unique per call.
 */
export interface SandboxWorld {
  userId: string;
  pageId: string;
  pageName: string;
  people: { id: string; name: string }[];
}

let made = 0;

export async function newWorld(
  simulator: SimulatorControl,
  label: string,
  peopleCount = 2,
): Promise<SandboxWorld> {
  made += 1;
  const unique = `${Date.now() % 1_000_000_000}${made}`;
  const userId = `1077${unique}`;
  const pageId = `2077${unique}`;
  const pageName = `${label} Shop ${made}`;
  await simulator.addUser({ id: userId, name: `${label} Admin`, email: `admin${unique}@example.com` });
  await simulator.addPage({ id: pageId, name: pageName, adminUserIds: [userId] });
  const people = [];
  for (let i = 0; i < peopleCount; i += 1) {
    const id = `${label.toLowerCase()}-${unique}-${i}`;
    const firstName = ['Ada', 'Ben', 'Cleo', 'Dev'][i] ?? `P${i}`;
    await simulator.addPerson({ id, firstName, lastName: `${label}${i}` });
    people.push({ id, name: `${firstName} ${label}${i}` });
  }
  return { userId, pageId, pageName, people };
}

/** Logs the world's admin in and connects its Page from the Pages screen, as a newcomer does. */
export async function logInAndConnect(page: Page, world: SandboxWorld): Promise<void> {
  await loginThroughSimulator(page, { facebookUserId: world.userId });
  await page.goto('/pages');
  await page.getByRole('button', { name: `Connect ${world.pageName}` }).click();
  await expect(page.getByRole('listitem', { name: world.pageName })).toBeVisible();
}

/**
 * A second member, invited with `role` (an agent unless said) by the admin logged in on `adminPage`, logged in through
 * the invitation link in a browser context of their own. Close `context` when done.
 */
export async function invitedMember(
  adminPage: Page,
  browser: Browser,
  simulator: SimulatorControl,
  name: string,
  role: 'admin' | 'marketer' | 'agent' = 'agent',
): Promise<{ page: Page; context: BrowserContext; facebookUserId: string }> {
  const invitation = await adminPage.request.post('/api/invitations', {
    data: { role },
    headers: await csrfHeader(adminPage),
  });
  expect(invitation.status()).toBe(201);
  const { url: invitationUrl } = (await invitation.json()) as { url: string };
  return logInThroughInvitation(adminPage, browser, simulator, name, invitationUrl);
}

/**
 * A new Facebook user named `name` follows `invitationUrl` (made by the admin logged in on `adminPage`) in a browser
 * context of their own and logs in; resolves once they are in the dashboard, in the admin's workspace.
 */
export async function logInThroughInvitation(
  adminPage: Page,
  browser: Browser,
  simulator: SimulatorControl,
  name: string,
  invitationUrl: string,
): Promise<{ page: Page; context: BrowserContext; facebookUserId: string }> {
  made += 1;
  const facebookUserId = `1088${Date.now() % 1_000_000_000}${made}`;
  await simulator.addUser({ id: facebookUserId, name, email: `agent${facebookUserId}@example.com` });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(invitationUrl);
  await page.waitForURL((url) => url.pathname === '/dialog/oauth');
  await page.getByLabel('Log in as').selectOption(facebookUserId);
  await page.getByRole('button', { name: /^Continue as / }).click();
  // Back in the dashboard only once the callback has answered: navigating sooner would cut the login short.
  await page.waitForURL((url) => url.pathname === '/');
  const workspaceOf = async (of: Page) =>
    ((await (await of.request.get('/api/me')).json()) as { workspace: { id: string } }).workspace.id;
  expect(await workspaceOf(page)).toBe(await workspaceOf(adminPage));
  return { page, context, facebookUserId };
}

/** Moves the sandbox's clock, the app's and the simulator's together, as the sandbox panel does. */
export async function advanceClock(page: Page, hours: number): Promise<void> {
  const moved = await page.request.post('/api/sandbox/clock/advance', {
    data: { hours },
    headers: await csrfHeader(page),
  });
  expect(moved.status()).toBe(200);
}
