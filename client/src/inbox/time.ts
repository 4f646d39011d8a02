/** "3 h 12 min", "45 min", "2 d 4 h": a duration as an agent reads it at a glance. */
export function spokenDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${rest} min`;
  return `${rest} min`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** A time in a list: the time of day today, the date otherwise. */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? timeOfDay.format(at) : dayAndTime.format(at);
}

export const fullDate = (iso: string) => dayAndTime.format(new Date(iso));

const dayOfYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "2 Dec": the day, when the time does not matter. */
export const shortDate = (iso: string) => dayOfYear.format(new Date(iso));
