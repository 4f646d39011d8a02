import { Link, useSearchParams } from 'react-router';
import { usePages } from '../api/pages';
import { useMe } from '../api/session';
import { ActivitySection, FirstResponseSection, SubscribersSection } from './day-charts';
import { RunningBroadcastsSection } from './running-broadcasts-section';
import { WaitingSection } from './waiting-section';

const dayChoices = [7, 14, 30, 90];
const defaultDays = 14;

/**
 * The home screen: how the Pages the member sees are doing, per Page or all together, over the last days. The
 * choice of Page and days is in the address, so a link shows the same figures.
 */
export default function OverviewScreen() {
  const me = useMe();
  const pages = usePages();
  const [search, setSearch] = useSearchParams();
  const pageId = search.get('page');
  const days = dayChoices.includes(Number(search.get('days'))) ? Number(search.get('days')) : defaultDays;
  const scope = { pageId, days };
  const choose = (name: 'page' | 'days', value: string | null) =>
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );

  return (
    <div className="mx-auto max-w-6xl space-y-4 p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Overview</h1>
        <Link
          to="/inbox"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Open the inbox
        </Link>
      </div>
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          Page
          <select
            value={pageId ?? ''}
            onChange={(event) => choose('page', event.target.value || null)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <option value="">All Pages</option>
            {pages.data?.map((page) => (
              <option key={page.id} value={page.id}>
                {page.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Period
          <select
            value={days}
            onChange={(event) => choose('days', event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {dayChoices.map((choice) => (
              <option key={choice} value={choice}>
                Last {choice} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ActivitySection scope={scope} />
        <WaitingSection pageId={pageId} />
        <FirstResponseSection scope={scope} />
        <SubscribersSection scope={scope} />
        {me.data?.can.broadcast && <RunningBroadcastsSection pageId={pageId} />}
      </div>
    </div>
  );
}
