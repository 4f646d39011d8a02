import type { SentMessage } from '../../simulator/index';
import { PAGE, settle, type BotWorld } from './bots-harness';

/** Texts of the blocks the example bot answers with; tests compare what Meta received against them. */
export const TEXT = {
  welcome: 'Welcome to Alice Shoes!',
  hours: 'We are open 9–18, Monday to Saturday.',
  price: 'Our shoes start at 49 €.',
  hello: 'Hello! Ask about price or opening hours.',
  human: 'An agent will answer you shortly.',
  fallback: 'Sorry, I did not get that. Try "price" or "opening hours".',
} as const;

async function createBlock(world: BotWorld, name: string, content: Record<string, unknown>) {
  const res = await world.admin.agent
    .post('/api/bot/blocks')
    .set(world.admin.csrf)
    .send({ page: world.pageId, name, content });
  if (res.status !== 201) throw new Error(`block not created: ${res.status} ${res.text}`);
  return res.body._id as string;
}

async function createRule(world: BotWorld, rule: Record<string, unknown>) {
  const res = await world.admin.agent
    .post('/api/bot/rules')
    .set(world.admin.csrf)
    .send({ page: world.pageId, ...rule });
  if (res.status !== 201) throw new Error(`rule not created: ${res.status} ${res.text}`);
  return res.body._id as string;
}

/**
 * The example bot of docs/automation.md on Page 2001: a welcome with a quick reply leading to the opening hours,
 * one rule per keyword mode, "talk to a human" and a fallback. Priorities make "opening hours" win over "price".
 */
export async function createExampleBot(world: BotWorld): Promise<void> {
  const welcome = await createBlock(world, 'Welcome', {
    text: TEXT.welcome,
    quickReplies: [{ title: 'Opening hours', payload: 'SHOW_HOURS' }],
  });
  const hours = await createBlock(world, 'Opening hours', { text: TEXT.hours });
  const price = await createBlock(world, 'Price', { text: TEXT.price });
  const hello = await createBlock(world, 'Hello', { text: TEXT.hello });
  const human = await createBlock(world, 'Human', { text: TEXT.human });
  const fallback = await createBlock(world, 'Fallback', { text: TEXT.fallback });
  await createRule(world, { kind: 'get_started', priority: 1, block: welcome });
  await createRule(world, {
    kind: 'talk_to_human',
    keywordMode: 'any_of',
    keywords: ['human'],
    priority: 5,
    block: human,
  });
  await createRule(world, {
    kind: 'keyword',
    keywordMode: 'exact',
    keywords: ['hi'],
    priority: 10,
    block: hello,
  });
  await createRule(world, {
    kind: 'keyword',
    keywordMode: 'contains',
    keywords: ['opening hours'],
    priority: 20,
    block: hours,
  });
  await createRule(world, {
    kind: 'keyword',
    keywordMode: 'any_of',
    keywords: ['price', 'cost', 'prix'],
    priority: 30,
    block: price,
  });
  await createRule(world, { kind: 'payload', payloads: ['SHOW_HOURS'], priority: 40, block: hours });
  await createRule(world, { kind: 'fallback', block: fallback });
}

/** Every message (not sender action) Meta received for this person on Page 2001, oldest first. */
export async function messagesTo(world: BotWorld, personId: string): Promise<SentMessage[]> {
  const psid = await world.sim.control.psidFor(personId, PAGE);
  return (await world.sim.control.sentMessages({ pageId: PAGE, psid })).filter(
    (sent) => sent.message !== null,
  );
}

export const textsOf = (sent: SentMessage[]) => sent.map((message) => message.message?.text);

/** A person who exists on Meta's side only for the test that names them, so no test depends on another's data. */
export async function newPerson(world: BotWorld, firstName: string): Promise<string> {
  const id = `${firstName.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
  await world.sim.control.addPerson({ id, firstName, lastName: 'Tester' });
  return id;
}

/** The person writes on Page 2001 and the product finishes with every webhook that caused. */
export async function writes(world: BotWorld, personId: string, text: string): Promise<void> {
  await world.sim.control.sendText(personId, PAGE, text);
  await settle(world);
}
