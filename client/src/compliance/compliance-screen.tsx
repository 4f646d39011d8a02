import { useSearchParams } from 'react-router';
import { usePages } from '../api/pages';
import { useMe } from '../api/session';
import { AuditLog } from './audit-log';
import { ConsentChart } from './consent-chart';
import { RefusalBars } from './refusal-bars';
import { Section } from '../layout/section';

/**
 * The admins' screen for staying inside Meta's rules: the audit log of every automated action with its consent
 * basis, refused sends by reason, and opt-outs over time, for one Page or the whole workspace (`?pageId=`).
 */
export default function ComplianceScreen() {
  const me = useMe();
  const pages = usePages();
  const [params, setParams] = useSearchParams();
  const pageId = params.get('pageId') ?? '';
  if (me.data?.role !== 'admin')
    return <p className="p-4 text-slate-600">Only the workspace’s admins read its compliance log.</p>;

  const choosePage = (id: string) => setParams(id ? { pageId: id } : {}, { replace: true });
  return (
    <div className="mx-auto max-w-5xl space-y-6 p-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Compliance</h1>
          <p className="text-sm text-slate-600">
            Every automated message and consent change, and why it was allowed.
          </p>
        </div>
        <label className="flex flex-col text-sm">
          <span className="font-medium">Page</span>
          <select
            value={pageId}
            onChange={(event) => choosePage(event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <option value="">Whole workspace</option>
            {pages.data?.map((page) => (
              <option key={page.id} value={page.id}>
                {page.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Refused sends by reason">
          <RefusalBars pageId={pageId} />
        </Section>
        <Section title="Opt-outs over time">
          <ConsentChart pageId={pageId} />
        </Section>
      </div>
      <AuditLog pageId={pageId} pageNames={new Map(pages.data?.map((page) => [page.id, page.name]))} />
    </div>
  );
}
