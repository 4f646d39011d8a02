import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { get } from '../api/http';
import { useMe, useSandbox } from '../api/session';
import type { Permission } from '../api/types';

/** "Continue with Facebook", and what we will ask Facebook for, each with its reason in plain words. */
export default function SignInScreen() {
  const me = useMe();
  const sandbox = useSandbox();
  const permissions = useQuery({
    queryKey: ['permissions'],
    queryFn: async () => (await get<{ data: Permission[] }>('/api/permissions')).data,
    staleTime: Infinity,
  });
  if (me.data) return <Navigate to="/" replace />;
  return (
    <main className="mx-auto flex min-h-full max-w-xl flex-col justify-center gap-6 p-6">
      {sandbox.data?.enabled && (
        <p role="status" className="rounded-md bg-amber-100 p-3 text-sm text-amber-900">
          Sandbox: Meta is simulated. Facebook, its people and their messages are played by Pagewire’s
          Messenger Platform simulator on this machine; nothing reaches the real Facebook.
        </p>
      )}
      <h1 className="text-3xl font-semibold">Sign in to Pagewire</h1>
      <p className="text-slate-600">
        Live chat, broadcasts and automation for your Facebook Pages. You sign in with the Facebook account
        that manages your Pages.
      </p>
      <a
        href="/auth/facebook"
        className="self-start rounded-md bg-brand-600 px-5 py-3 font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
      >
        Continue with Facebook
      </a>
      <section
        aria-labelledby="permissions-heading"
        className="rounded-md border border-slate-200 bg-white p-4"
      >
        <h2 id="permissions-heading" className="mb-2 font-medium">
          What we ask Facebook for, and why
        </h2>
        {permissions.isError && <p className="text-red-700">The permissions could not be loaded.</p>}
        <ul aria-label="Permissions we ask for" className="space-y-2 text-sm">
          {permissions.data?.map((permission) => (
            <li key={permission.name}>
              <code className="rounded bg-slate-100 px-1">{permission.name}</code>: {permission.reason}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
