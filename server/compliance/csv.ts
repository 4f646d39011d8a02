import { once } from 'node:events';
import type { Response } from 'express';

/**
 * CSV as RFC 4180 writes it (fields with a comma, quote or line break in double quotes, quotes doubled, CRLF between
 * records), with one guard RFC 4180 does not know: a spreadsheet runs a cell that starts with = + - @ (or a tab or
 * carriage return, which some treat alike) as a formula, so such a cell gets a leading apostrophe (OWASP, "CSV
 * injection"). The audit log holds words people and Meta wrote, so any cell may start that way.
 */
const formulaStart = /^[=+\-@\t\r]/u;
const needsQuotes = /[",\r\n]/u;

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = formulaStart.test(text) ? `'${text}` : text;
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvRow = (values: unknown[]): string => `${values.map(csvCell).join(',')}\r\n`;

/** Waits until a streamed answer takes more, or the client went away (then false). */
export async function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return false;
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}
