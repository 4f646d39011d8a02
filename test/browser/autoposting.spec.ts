import { rss, startFeedServer } from '../server/autoposting/feed-server';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

test('an admin adds a feed; its new item goes to the Page, a broadcast and (with consent only) X, and the screen shows each', async ({
  page,
  simulator,
}) => {
  const feeds = await startFeedServer();
  try {
    feeds.serve('/news.xml', { body: rss([{ guid: 'old', title: 'Old news' }]) });
    const world = await newWorld(simulator, 'Feeds', 1);
    const ada = world.people[0] as { id: string };
    await logInAndConnect(page, world);
    await simulator.sendText(ada.id, world.pageId, 'hello, tell me what is new');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Autoposting' }).click();
    await expect(page.getByRole('heading', { name: 'Autoposting', level: 1 })).toBeVisible();
    await page.getByLabel('Name').fill('Shop news');
    await page.getByLabel('Feed URL (RSS, Atom or JSON Feed)').fill(`${feeds.url}/news.xml`);
    await page.getByLabel(/^Broadcast to subscribers/).check();
    await page.getByLabel(/^Share on X/).check();
    await page.getByRole('button', { name: 'Add feed' }).click();

    const card = page
      .getByRole('list', { name: 'Feeds' })
      .getByRole('listitem')
      .filter({ hasText: 'Shop news' });
    await expect(card).toBeVisible();
    await card.getByRole('button', { name: 'Read now' }).click();
    await expect(card.getByRole('status')).toContainText('already there marked as seen', { timeout: 15_000 });

    feeds.serve('/news.xml', {
      body: rss([
        { guid: 'new', title: 'Spring collection is here', link: 'https://shop.example/spring' },
        { guid: 'old', title: 'Old news' },
      ]),
    });
    await card.getByRole('button', { name: 'Read now' }).click();
    await expect(card.getByRole('status')).toContainText('1 new', { timeout: 15_000 });

    const item = page
      .getByRole('list', { name: 'Items' })
      .getByRole('listitem')
      .filter({ hasText: 'Spring collection' })
      .first();
    await expect(item).toContainText('Page post: sent', { timeout: 15_000 });
    await expect(item).toContainText('Broadcast: sent');
    await expect(item).toContainText('X: skipped');
    await expect(item).toContainText('Basis: Autoposting: a workspace admin chose');
    await expect(card).toContainText('Page post: 1 sent');

    // Standing consent is the X account owner's alone; without a connected X account Pagewire refuses it.
    await card.getByLabel('Your X account').fill('my-x-account');
    await card.getByRole('checkbox', { name: /I allow Pagewire to share each new item/ }).check();
    await card.getByRole('button', { name: 'Give standing consent' }).click();
    await expect(card.getByRole('alert')).toContainText('Only the owner of a connected X account');

    await expectAccessible(page);
    await screenshot(page, 'autoposting');

    await page.setViewportSize({ width: 375, height: 800 });
    await expect(item).toBeVisible();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    await screenshot(page, 'autoposting-phone');
  } finally {
    await feeds.stop();
  }
});
