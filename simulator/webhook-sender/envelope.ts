/** Meta's webhook envelope (docs/messenger-platform.md §1.4). */
export interface WebhookEntry {
  id: string;
  time: number;
  messaging?: Record<string, unknown>[];
  standby?: Record<string, unknown>[];
  changes?: { field: string; value: Record<string, unknown> }[];
}

export function envelope(entries: WebhookEntry[]): { object: 'page'; entry: WebhookEntry[] } {
  return { object: 'page', entry: entries };
}

/** Meta serialises with non-ASCII written as lowercase `\uXXXX` and signs exactly those bytes. */
export function serialise(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
