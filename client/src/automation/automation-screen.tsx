import { NavLink, Navigate, Route, Routes, useSearchParams } from 'react-router';
import { usePages } from '../api/pages';
import { useMe } from '../api/session';
import { BotScreen } from './bot/bot-screen';
import { CaptureDetail } from './captures/capture-detail';
import { CapturesScreen } from './captures/captures-screen';
import { useLiveCaptureOutcomes } from './captures/live-outcomes';
import { ProfileScreen } from './profile/profile-screen';

const sections = [
  { path: 'bot', label: 'Bot' },
  { path: 'profile', label: 'Messenger Profile' },
  { path: 'captures', label: 'Comment captures' },
] as const;

const tab = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-1.5 text-sm font-medium ${
    isActive ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-200'
  }`;

/**
 * Automation for admins and marketers: the bot's rules, blocks and flows, the Messenger Profile, and comment
 * captures, one connected Page at a time (the Page is in the address, `?page=`).
 */
export default function AutomationScreen() {
  const me = useMe();
  const pages = usePages();
  const [params, setParams] = useSearchParams();
  useLiveCaptureOutcomes();
  if (me.data && !me.data.can.automate) {
    return (
      <p className="p-6 text-slate-700">
        Automation is for the workspace’s admins and marketers. Ask an admin if you need it.
      </p>
    );
  }
  const pageId = params.get('page') ?? pages.data?.[0]?.id ?? '';
  const query = pageId ? `?page=${pageId}` : '';
  return (
    <div className="mx-auto max-w-5xl space-y-5 p-4">
      <h1 className="text-2xl font-semibold">Automation</h1>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm">
          Page
          <select
            value={pageId}
            onChange={(event) => setParams({ page: event.target.value })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {pages.data?.map((page) => (
              <option key={page.id} value={page.id}>
                {page.name}
              </option>
            ))}
          </select>
        </label>
        <nav aria-label="Automation" className="flex flex-wrap gap-1">
          {sections.map((section) => (
            <NavLink key={section.path} to={`/automation/${section.path}${query}`} className={tab}>
              {section.label}
            </NavLink>
          ))}
        </nav>
      </div>
      {pages.isPending && <p className="text-slate-500">Loading…</p>}
      {pages.isError && <p className="text-red-700">{pages.error.message}</p>}
      {pages.data?.length === 0 && (
        <p className="text-slate-600">Connect a Page first (Pages), then set up its automation here.</p>
      )}
      {pageId && (
        <Routes>
          <Route index element={<Navigate to={`bot${query}`} replace />} />
          <Route path="bot" element={<BotScreen key={pageId} pageId={pageId} />} />
          <Route path="profile" element={<ProfileScreen key={pageId} pageId={pageId} />} />
          <Route path="captures" element={<CapturesScreen key={pageId} pageId={pageId} />} />
          <Route path="captures/:captureId" element={<CaptureDetail />} />
          <Route path="*" element={<Navigate to={`bot${query}`} replace />} />
        </Routes>
      )}
    </div>
  );
}
