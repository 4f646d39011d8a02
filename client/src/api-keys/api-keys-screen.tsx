import { ShownOnce } from '../layout/shown-once';
import { useState, type FormEvent } from 'react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/api-keys';
import { useMe } from '../api/session';
import type { ApiKey } from '../api/types';
import { fullDate } from '../inbox/time';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

/** The admins' screen: create a key with scopes (shown once, to copy), see when each was last used, revoke one. */
export default function ApiKeysScreen() {
  const me = useMe();
  if (me.data?.role !== 'admin')
    return <p className="p-4 text-slate-600">Only the workspace’s admins manage its API keys.</p>;
  return (
    <div className="mx-auto max-w-4xl space-y-8 p-4">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="text-sm text-slate-600">
        A key lets another system (a CRM, a shop, a help desk) use Pagewire’s API in this workspace, as an
        admin would, within the scopes you give it. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <NewKeySection />
      <KeyList />
    </div>
  );
}

function NewKeySection() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const offered = keys.data?.scopes ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, scopes }, { onSuccess: () => setName('') });
  };
  const toggle = (scope: string, on: boolean) =>
    setScopes((chosen) => (on ? [...chosen, scope] : chosen.filter((s) => s !== scope)));

  return (
    <section
      aria-labelledby="new-key-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="new-key-heading" className="text-lg font-medium">
        New key
      </h2>
      <form onSubmit={submit} className="space-y-3 text-sm">
        <label className="block">
          <span className="font-medium">Name</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={100}
            placeholder="e.g. Shop CRM"
            className="mt-1 block w-full max-w-sm rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <fieldset className="space-y-1">
          <legend className="font-medium">Scopes</legend>
          {offered.map((scope) => (
            <label key={scope.name} className="flex items-start gap-2">
              <input
                type="checkbox"
                checked={scopes.includes(scope.name)}
                onChange={(event) => toggle(scope.name, event.target.checked)}
                className="mt-1"
              />
              <span>
                <span className="font-mono">{scope.name}</span>: {scope.meaning}
              </span>
            </label>
          ))}
        </fieldset>
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Create key
        </button>
      </form>
      {create.isError && (
        <p role="alert" className="text-sm text-red-700">
          {create.error.message}
        </p>
      )}
      {create.data && (
        <ShownOnce label={`The new key “${create.data.name}”`} value={create.data.key} copyLabel="Copy key">
          Copy it now: Pagewire keeps only its hash and cannot show it again.
        </ShownOnce>
      )}
    </section>
  );
}

function KeyList() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  return (
    <section aria-labelledby="keys-heading" className="space-y-3">
      <h2 id="keys-heading" className="text-lg font-medium">
        Keys
      </h2>
      {keys.isPending && <p className="text-sm text-slate-500">Loading…</p>}
      {keys.isError && <p className="text-sm text-red-700">{keys.error.message}</p>}
      {keys.data?.data.length === 0 && (
        <p className="text-sm text-slate-600">This workspace has no API key.</p>
      )}
      <ul aria-label="API keys" className="space-y-2">
        {keys.data?.data.map((key) => (
          <KeyRow
            key={key.id}
            apiKey={key}
            revoking={revoke.isPending}
            onRevoke={() => revoke.mutate(key.id)}
          />
        ))}
      </ul>
      {revoke.isError && (
        <p role="alert" className="text-sm text-red-700">
          {revoke.error.message}
        </p>
      )}
    </section>
  );
}

function KeyRow({ apiKey, revoking, onRevoke }: { apiKey: ApiKey; revoking: boolean; onRevoke(): void }) {
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <span className="font-medium">{apiKey.name}</span>
      <code className="break-all text-slate-700">{apiKey.prefix}…</code>
      <span className="text-slate-600">{apiKey.scopes.join(', ')}</span>
      <span className="text-slate-600">
        Created {fullDate(apiKey.createdAt)}
        {apiKey.createdBy.name ? ` by ${apiKey.createdBy.name}` : ''}
      </span>
      <span className="text-slate-600">
        {apiKey.lastUsedAt ? `Last used ${fullDate(apiKey.lastUsedAt)}` : 'Never used'}
      </span>
      {apiKey.revokedAt ? (
        <span className="ml-auto font-medium text-red-700">Revoked {fullDate(apiKey.revokedAt)}</span>
      ) : (
        <button
          type="button"
          disabled={revoking}
          onClick={onRevoke}
          aria-label={`Revoke the key ${apiKey.name} (${apiKey.prefix})`}
          className={`ml-auto ${button}`}
        >
          Revoke
        </button>
      )}
    </li>
  );
}
