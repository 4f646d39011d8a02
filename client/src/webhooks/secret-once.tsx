/** The signing secret, shown once: the server never shows it again (rotate it to get a new one). */
export function SecretOnce({ secret, url }: { secret: string; url: string }) {
  return (
    <div role="status" className="space-y-1 rounded-md bg-brand-50 p-3 text-sm">
      <label className="block">
        <span className="font-medium">Signing secret for {url}</span>
        <input
          readOnly
          value={secret}
          onFocus={(event) => event.target.select()}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
        />
      </label>
      <p className="text-slate-700">Copy it now: it is shown only this once.</p>
    </div>
  );
}
