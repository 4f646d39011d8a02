import type { ContentCheck } from '../api/broadcasts';

/** What the server said about the content: its counts by path, and the issues the composer shows. */
export interface Judged {
  countOf(path: string): ContentCheck['counts'][number] | undefined;
  issueOf(path: string): string | undefined;
  /** Marks a field as edited: its "must not be empty" is shown from then on. */
  touch(path: string): void;
}

export const fieldId = (path: string) => `field-${path.replaceAll('.', '-')}`;

/** "Card 1, button 2 title": a field of the content named as the composer labels it. */
export function fieldName(path: string): string {
  const words: Record<string, string> = {
    cards: 'card',
    buttons: 'button',
    quickReplies: 'quick reply',
    title: 'title',
    subtitle: 'subtitle',
    text: 'text',
    url: 'image address',
    imageUrl: 'image address',
    payload: 'payload',
  };
  const parts = path.split('.');
  const named: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && /^\d+$/u.test(next)) {
      named.push(`${words[part] ?? part} ${Number(next) + 1}`);
      i += 1;
    } else named.push(words[part] ?? part);
  }
  const text = named.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A text input with Meta's limit counted as Meta counts it (the server's count, shown as typed) and the server's
 * reason when it would be refused, tied to the input for assistive tech.
 */
export function LimitedField({
  label,
  path,
  value,
  onChange,
  judged,
  multiline = false,
  type = 'text',
  placeholder,
}: {
  label: string;
  path: string;
  value: string;
  onChange(value: string): void;
  judged: Judged;
  multiline?: boolean;
  type?: 'text' | 'url';
  placeholder?: string;
}) {
  const id = fieldId(path);
  const count = judged.countOf(path);
  const issue = judged.issueOf(path);
  const over = count !== undefined && count.count > count.limit;
  const describedBy = [count ? `${id}-count` : '', issue ? `${id}-issue` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    placeholder,
    'aria-invalid': issue ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onChange: (event: { target: { value: string } }) => {
      judged.touch(path);
      onChange(event.target.value);
    },
    className: `w-full rounded-md border px-2 py-1.5 text-sm ${issue ? 'border-red-600' : 'border-slate-300'}`,
  };
  return (
    <div className="space-y-1">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {count && (
          <span
            id={`${id}-count`}
            className={`text-xs tabular-nums ${over ? 'font-semibold text-red-700' : 'text-slate-600'}`}
          >
            {count.count}/{count.limit}
            <span className="sr-only"> characters</span>
          </span>
        )}
      </div>
      {multiline ? <textarea rows={4} {...common} /> : <input type={type} {...common} />}
      {issue && (
        <p id={`${id}-issue`} className="text-sm text-red-700">
          {issue}
        </p>
      )}
    </div>
  );
}
