import { useEffect, useState } from 'react';
import { ApiError } from '../api/http';
import type { FieldCount, Issue } from '../api/automation';

export const inputClass = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm';
export const primaryButton =
  'rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50';
export const secondaryButton =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

/** The value as it was `ms` after it last changed: what the server is asked about while someone types. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The issues of a refused save (a 400 problem's `issues`), or the error's own words. */
export function issuesOf(error: Error | null): Issue[] {
  if (!error) return [];
  const issues = error instanceof ApiError ? error.problem.issues : undefined;
  if (Array.isArray(issues)) return issues as Issue[];
  return [{ path: '', message: error.message }];
}

/** "12 / 20" under a field, as the server counted it; red past the limit. */
export function Count({ id, count }: { id: string; count: FieldCount | undefined }) {
  if (!count) return null;
  const over = count.count > count.max;
  return (
    <span id={id} className={`text-xs ${over ? 'font-medium text-red-700' : 'text-slate-600'}`}>
      {count.count} / {count.max}
      {over && ' — too long for Facebook'}
    </span>
  );
}

export function FieldIssues({ issues }: { issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="text-sm text-red-700">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
      ))}
    </ul>
  );
}

/**
 * Every issue of a refused save, each with the field it names in words; `marked` counts the issues already shown
 * under their fields, so a save refused only for those still says it was not saved.
 */
export function SaveIssues({
  issues: listed,
  fieldName,
  marked = 0,
}: {
  issues: Issue[];
  fieldName(path: string): string;
  marked?: number;
}) {
  const issues =
    listed.length === 0 && marked > 0
      ? [{ path: '', message: 'Facebook would refuse a field of the message; it is marked above.' }]
      : listed;
  if (issues.length === 0) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
      <p className="font-medium">Not saved:</p>
      <ul className="list-disc pl-5">
        {issues.map((issue) => (
          <li key={`${issue.path}:${issue.message}`}>
            {issue.path && <span className="font-medium">{fieldName(issue.path)}: </span>}
            {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const words = (list: string) =>
  list
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
