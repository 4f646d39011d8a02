/** What each scope lets a key do, in the words of the screen; the server decides (server/api-keys/key-scopes.ts). */
const meanings: Record<string, string> = {
  read: 'read Pages, conversations, broadcasts, automation, subscribers and the Overview',
  conversations: 'read and answer conversations, assign and resolve them, add notes',
  broadcasts: 'create, schedule, send, pause and cancel broadcasts',
  automation: 'manage the bot, comment captures, the Messenger Profile and automation pauses',
  subscribers: 'read subscribers and change their tags and custom fields',
};

export const scopeMeaning = (scope: string) => meanings[scope] ?? '';
