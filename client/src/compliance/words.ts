/** The words the Compliance screen puts on the server's codes; an unknown code shows as itself. */

export const actionKinds: { value: string; label: string }[] = [
  { value: '', label: 'Every action' },
  { value: 'bot', label: 'Bot replies' },
  { value: 'capture', label: 'Comment captures' },
  { value: 'broadcast', label: 'Broadcasts (one entry per Page)' },
  { value: 'subscriber', label: 'Opt-ins and opt-outs' },
  { value: 'agent', label: 'Replies with the HUMAN_AGENT tag' },
  { value: 'page.policy', label: 'Meta policy events' },
  { value: 'page', label: 'Pages (connections, health, pauses)' },
  { value: 'member', label: 'Members' },
  { value: 'invitation', label: 'Invitations' },
  { value: 'api_key', label: 'API keys' },
];

export const actorKinds: { value: string; label: string }[] = [
  { value: '', label: 'Anyone' },
  { value: 'system', label: 'Pagewire (bot, captures)' },
  { value: 'job', label: 'A background job' },
  { value: 'person', label: 'A person on Messenger' },
  { value: 'meta', label: 'Meta' },
  { value: 'user', label: 'A member' },
  { value: 'api-key', label: 'An API key' },
];

const actions: Record<string, string> = {
  'bot.replied': 'Bot reply',
  'capture.replied': 'Private reply to a comment',
  'capture.skipped': 'Comment not answered',
  'capture.public_replied': 'Public reply to a comment',
  'capture.follow_up_sent': 'Capture follow-up',
  'capture.created': 'Capture created',
  'broadcast.completed': 'Broadcast completed',
  'broadcast.cancelled': 'Broadcast cancelled',
  'subscriber.opted_in': 'Opt-in',
  'subscriber.opted_out': 'Opt-out',
  'subscriber.opt_out_confirmed': 'Opt-out confirmed',
  'subscriber.unreachable': 'Person unreachable',
  'agent.human_agent_reply': 'Agent reply (HUMAN_AGENT)',
  'page.policy.warning': 'Meta policy warning',
  'page.policy.block': 'Meta blocked messaging',
  'page.policy.unblock': 'Meta lifted its block',
  'page.connected': 'Page connected',
  'page.disconnected': 'Page disconnected',
  'page.sharing.changed': 'Page sharing changed',
  'page.automation.paused': 'Automation paused',
  'page.automation.resumed': 'Automation resumed',
  'member.joined': 'Member joined',
  'member.changed': 'Member changed',
  'member.removed': 'Member removed',
  'invitation.created': 'Invitation created',
  'invitation.revoked': 'Invitation revoked',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
};

export const actionWords = (action: string) =>
  actions[action] ?? (action.startsWith('page.health.') ? 'Page health changed' : action);

const actors: Record<string, string> = {
  user: 'Member',
  system: 'Pagewire',
  job: 'Job',
  person: 'Person',
  meta: 'Meta',
  'api-key': 'API key',
};
export const actorWords = (kind: string) => actors[kind] ?? kind;

const sources: Record<string, string> = {
  broadcast: 'broadcasts',
  bot: 'the bot',
  capture: 'comment captures',
  agent: 'agents',
};
export const sourceWords = (source: string) => sources[source] ?? source;
