import { useState, type ReactNode } from 'react';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

/**
 * A secret the server answers once and never again (an API key, an invitation link, a signing secret): selectable,
 * with a copy button when `copyLabel` is given, and what the person should know about it.
 */
export function ShownOnce({
  label,
  value,
  copyLabel,
  children,
}: {
  label: ReactNode;
  value: string;
  copyLabel?: string;
  children: ReactNode;
}) {
  const [copiedValue, setCopiedValue] = useState<string>();
  const copy = async () => {
    await navigator.clipboard.writeText(value).catch(() => undefined);
    setCopiedValue(value);
  };
  return (
    <div role="status" className="space-y-2 rounded-md bg-brand-50 p-3 text-sm">
      <label className="block">
        <span className="font-medium">{label}</span>
        <input
          readOnly
          value={value}
          onFocus={(event) => event.target.select()}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
        />
      </label>
      <div className="flex flex-wrap items-center gap-2">
        {copyLabel && (
          <button type="button" onClick={copy} className={button}>
            {copiedValue === value ? 'Copied' : copyLabel}
          </button>
        )}
        <span className="text-slate-700">{children}</span>
      </div>
    </div>
  );
}
