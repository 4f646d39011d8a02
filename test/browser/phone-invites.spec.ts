import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

async function expectWithinPhoneWidth(page: Page) {
  const overflowing = await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
}

test('a marketer uploads phone numbers with consent: each line is read, US numbers are invited, a UK one is refused with the reason', async ({
  page,
  simulator,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const world = await newWorld(simulator, 'Phones', 0);
  await logInAndConnect(page, world);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Phone invites' }).click();
  await expect(page.getByRole('heading', { name: 'Phone invitations', level: 1 })).toBeVisible();

  const form = page.getByRole('region', { name: 'Upload numbers' });
  const unique = String(Date.now() % 10_000).padStart(4, '0');
  await form
    .getByRole('textbox', { name: /Phone numbers/ })
    .fill(`(212) 555-${unique}\n+1 646 555 ${unique}\nhello\n+44 20 7946 0958`);
  await form.getByRole('textbox', { name: 'Invitation' }).fill('Come chat with us on Messenger!');
  await form.getByRole('button', { name: 'Upload and invite' }).click();
  // The browser insists on the attestation before anything is sent.
  await expect(form.getByRole('status')).toHaveCount(0);
  await form.getByRole('checkbox', { name: /agreed to be contacted/ }).check();
  await form.getByRole('button', { name: 'Upload and invite' }).click();
  await expect(form.getByRole('status')).toHaveText('3 queued of 4 lines.');
  await expect(form.getByRole('cell', { name: 'Not a number' })).toBeVisible();

  const invitations = page.getByRole('region', { name: 'Invitations' });
  // Each line also says "consent attested": the status is the element whose whole text is the word.
  for (const number of [`+1212555${unique}`, `+1646555${unique}`]) {
    const line = invitations.getByRole('listitem').filter({ hasText: number });
    await expect(line.getByText('sent', { exact: true })).toBeVisible();
  }
  await expect(invitations.getByRole('listitem').filter({ hasText: '+442079460958' })).toContainText(
    /refused.*United States/,
  );
  const sent = await simulator.sentMessages({ pageId: world.pageId });
  expect(sent.map((message) => message.recipient.phone_number).sort()).toEqual([
    `+1212555${unique}`,
    `+1646555${unique}`,
  ]);

  await expectAccessible(page);
  await screenshot(page, 'phone-invites');
  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await screenshot(page, 'phone-invites-phone');
});
