import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './layout/app-shell';

// One chunk per screen: the sign-in page never downloads the inbox.
const SignIn = lazy(() => import('./sign-in/sign-in-screen'));
const Inbox = lazy(() => import('./inbox/inbox-screen'));
const Pages = lazy(() => import('./pages/pages-screen'));
const Sandbox = lazy(() => import('./sandbox/sandbox-screen'));
const Automation = lazy(() => import('./automation/automation-screen'));
const Broadcasts = lazy(() => import('./broadcasts/broadcasts-screen'));
const Team = lazy(() => import('./team/team-screen'));
const Overview = lazy(() => import('./overview/overview-screen'));
const Compliance = lazy(() => import('./compliance/compliance-screen'));
const ApiKeys = lazy(() => import('./api-keys/api-keys-screen'));
const Webhooks = lazy(() => import('./webhooks/webhooks-screen'));
const Sponsored = lazy(() => import('./sponsored/sponsored-screen'));
const PhoneInvites = lazy(() => import('./phone-invites/phone-invites-screen'));
const XAds = lazy(() => import('./x-ads/x-ads-screen'));
const Autoposting = lazy(() => import('./autoposting/autoposting-screen'));
const XAccounts = lazy(() => import('./x/x-accounts-screen'));
const ShareToX = lazy(() => import('./x/share-screen'));

const loading = (screen: ReactNode) => (
  <Suspense fallback={<p className="p-6 text-slate-500">Loading…</p>}>{screen}</Suspense>
);

export const router = createBrowserRouter([
  { path: '/login', element: loading(<SignIn />) },
  {
    element: <AppShell />,
    children: [
      { index: true, element: loading(<Overview />) },
      { path: '/inbox', element: loading(<Inbox />) },
      { path: '/inbox/:conversationId', element: loading(<Inbox />) },
      { path: '/pages', element: loading(<Pages />) },
      { path: '/sandbox', element: loading(<Sandbox />) },
      { path: '/broadcasts', element: loading(<Broadcasts />) },
      { path: '/broadcasts/:broadcastId', element: loading(<Broadcasts />) },
      { path: '/automation/*', element: loading(<Automation />) },
      { path: '/team', element: loading(<Team />) },
      { path: '/compliance', element: loading(<Compliance />) },
      { path: '/api-keys', element: loading(<ApiKeys />) },
      // Not /webhooks: that first segment is the server's (Meta's webhooks arrive there).
      { path: '/outgoing-webhooks', element: loading(<Webhooks />) },
      { path: '/sponsored', element: loading(<Sponsored />) },
      { path: '/phone-invites', element: loading(<PhoneInvites />) },
      { path: '/x-ads', element: loading(<XAds />) },
      { path: '/autoposting', element: loading(<Autoposting />) },
      { path: '/x-accounts', element: loading(<XAccounts />) },
      { path: '/share', element: loading(<ShareToX />) },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
