import { useState } from 'react';
import { switchWorkspace, useWorkspaces } from '../api/team';

/**
 * The current workspace's name; for someone in several, a picker. Switching starts a new session on the server, so
 * the dashboard starts afresh in the other workspace (its cached data, socket and CSRF token were the old one's).
 */
export function WorkspaceSwitcher({ current }: { current: string }) {
  const workspaces = useWorkspaces();
  const [error, setError] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);
  const choices = workspaces.data ?? [];
  if (choices.length < 2) return <span>{current}</span>;

  const choose = async (workspaceId: string) => {
    setSwitching(true);
    setError(null);
    try {
      await switchWorkspace(workspaceId);
      window.location.assign('/');
    } catch (failure) {
      setError((failure as Error).message);
      setSwitching(false);
    }
  };
  return (
    <>
      <label className="flex items-center gap-1">
        <span className="sr-only">Workspace</span>
        <select
          value={choices.find((workspace) => workspace.current)?.id ?? ''}
          disabled={switching}
          onChange={(event) => void choose(event.target.value)}
          className="max-w-48 rounded-md border border-slate-300 bg-white px-1 py-0.5"
        >
          {choices.map((workspace) => (
            <option key={workspace.id} value={workspace.id}>
              {workspace.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <span role="alert" className="text-red-700">
          {error}
        </span>
      )}
    </>
  );
}
