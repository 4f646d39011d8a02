import { XSimulatorControl } from '../../simulator/x/control-client';
import { rss, startFeedServer } from '../server/autoposting/feed-server';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

test('an admin adds a feed; its new item goes to the Page, a broadcast and, once they connect their X account and give standing consent, X; the screen shows each', async ({
  page,
  simulator,
}) => {
  const feeds = await startFeedServer();
  try {
    feeds.serve('/news.xml', { body: rss([{ guid: 'old', title: 'Old news' }]) });
    const world = await newWorld(simulator, 'Feeds', 1);
    const unique = `${Date.now() % 1_000_000}`;
    const xUser = {
      id: `19${unique}`,
      username: `shopnews${unique}`,
      name: 'Shop News on X',
      followersCount: 87,
    };
    await new XSimulatorControl(simulator.url).addUser(xUser);
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
    // A new feed is due at once, so the schedule's read may have marked what it held as seen a moment before this one.
    await expect(card.getByRole('status')).toContainText(
      /Read 1 items: 0 new(, 1 already there marked as seen)?\./,
      {
        timeout: 15_000,
      },
    );

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

    // Standing consent is the X account owner's alone: with none connected, the card sends them to connect one.
    await expect(card.getByRole('combobox', { name: 'Your X account' })).toHaveCount(0);
    await card.getByRole('link', { name: 'Connect your X account first' }).click();
    await expect(page.getByRole('heading', { name: 'X accounts', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Connect with X' }).click();
    await page.waitForURL((url) => url.pathname === '/x/i/oauth2/authorize');
    await page.getByLabel('Log in as').selectOption(xUser.id);
    await page.getByRole('button', { name: 'Authorize app' }).click();
    await expect(page.getByRole('status')).toContainText(`@${xUser.username} is connected`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Autoposting' }).click();
    await card.getByRole('combobox', { name: 'Your X account' }).selectOption({
      label: `@${xUser.username} (${xUser.name})`,
    });
    await card.getByRole('checkbox', { name: /I allow Pagewire to share each new item/ }).check();
    await card.getByRole('button', { name: 'Give standing consent' }).click();
    await expect(card).toContainText(
      `Shared on X account @${xUser.username} by its owner’s standing consent`,
    );

    feeds.serve('/news.xml', {
      body: rss([
        { guid: 'newer', title: 'Summer sandals are in', link: 'https://shop.example/summer' },
        { guid: 'new', title: 'Spring collection is here', link: 'https://shop.example/spring' },
        { guid: 'old', title: 'Old news' },
      ]),
    });
    await card.getByRole('button', { name: 'Read now' }).click();
    await expect(card.getByRole('status')).toContainText('1 new', { timeout: 15_000 });
    const shared = page
      .getByRole('list', { name: 'Items' })
      .getByRole('listitem')
      .filter({ hasText: 'Summer sandals' })
      .first();
    await expect(shared).toContainText('X: sent', { timeout: 15_000 });
    await expect(card).toContainText('X: 1 sent, 1 skipped');
    const onX = await new XSimulatorControl(simulator.url).posts();
    expect(onX.filter((post) => post.authorId === xUser.id).map((post) => post.text)).toEqual([
      expect.stringMatching(/^Summer sandals are in /),
    ]);

    await expectAccessible(page);
    await screenshot(page, 'autoposting');

    await page.setViewportSize({ width: 375, height: 800 });
    await expect(shared).toBeVisible();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    await screenshot(page, 'autoposting-phone');
  } finally {
    await feeds.stop();
  }
});

test("an admin autoposts a Page's own new posts to its subscribers; that Page's own feed is refused as a target", async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Posts', 1);
  const ada = world.people[0] as { id: string };
  await logInAndConnect(page, world);
  await simulator.sendText(ada.id, world.pageId, 'hello, tell me when you post');
  await simulator.createPost(world.pageId, 'Yesterday’s loaves');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Autoposting' }).click();
  await page.getByLabel('Name').fill('Our posts');
  await page.getByRole('radio', { name: 'A Page’s own posts' }).check();
  await expect(page.getByLabel('Feed URL (RSS, Atom or JSON Feed)')).toHaveCount(0);
  await page.getByLabel('Posts of the Page').selectOption({ label: world.pageName });
  await page.getByLabel(/^Broadcast to subscribers/).check();
  // Post on the Page is checked by default: the Page's own posts would come back to it.
  await page.getByRole('button', { name: 'Add feed' }).click();
  await expect(page.getByRole('alert')).toContainText("cannot be published on that same Page's feed");
  await page.getByLabel('Post on the Page').uncheck();
  await page.getByRole('button', { name: 'Add feed' }).click();

  const card = page
    .getByRole('list', { name: 'Feeds' })
    .getByRole('listitem')
    .filter({ hasText: 'Our posts' });
  await expect(card).toContainText(`The posts of ${world.pageName}`);
  // The schedule may read the new feed first: either way, its posts so far are seen once this read answers.
  await card.getByRole('button', { name: 'Read now' }).click();
  await expect(card.getByRole('status')).toContainText(/^Read /, { timeout: 15_000 });
  await expect(card).toContainText('1 items seen.');

  await simulator.createPost(world.pageId, 'Fresh bread at noon today');
  await card.getByRole('button', { name: 'Read now' }).click();
  const item = page
    .getByRole('list', { name: 'Items' })
    .getByRole('listitem')
    .filter({ hasText: 'Fresh bread at noon today' })
    .first();
  await expect(item).toContainText('Broadcast: sent', { timeout: 15_000 });

  await expectAccessible(page);
  await screenshot(page, 'autoposting-page-posts');
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(item).toBeVisible();
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
});
