import { Router } from 'express';
import { memberOf, requireRole, requireSession } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import type { ApiOperation } from '../platform/openapi/api-operation';
import { auditPageAnswer, optOutsAnswer, refusalsAnswer } from './answers';
import { auditFilterSchema, auditQuerySchema, eachAuditEntry, listAuditEntries } from './audit-log';
import { csvRow, drained } from './csv';
import { consentReport, refusalReport, reportQuerySchema } from './reports';

const csvColumns = [
  'at',
  'page',
  'actor kind',
  'actor',
  'action',
  'object kind',
  'object',
  'basis',
  'details',
];

/**
 * /api/audit and /api/compliance: the audit log of every automated action with its consent basis, its CSV export,
 * and the refusals and opt-outs charts. The workspace's admins only, on the Pages they see.
 */
export function createComplianceRouters(clock: Clock): { path: string; router: Router }[] {
  const audit = Router();
  audit.use(requireSession, requireRole('admin'));
  audit.get('/', async (req, res) => {
    res.json(await listAuditEntries(memberOf(req), auditQuerySchema.parse(req.query)));
  });
  audit.get('/export', async (req, res) => {
    const filter = auditFilterSchema.parse(req.query);
    const entries = eachAuditEntry(memberOf(req), filter);
    // The first read checks the filter (a Page that is not theirs is a 404) before the answer starts.
    const first = await entries.next();
    res.attachment(`pagewire-audit-${clock.now().toISOString().slice(0, 10)}.csv`);
    res.type('text/csv; charset=utf-8');
    res.write(csvRow(csvColumns));
    for (let next = first; !next.done; next = await entries.next()) {
      const entry = next.value;
      const row = csvRow([
        entry.at,
        entry.pageId,
        entry.actor.kind,
        entry.actor.id,
        entry.action,
        entry.object.kind,
        entry.object.id,
        entry.basis,
        entry.details ? JSON.stringify(entry.details) : '',
      ]);
      if (!res.write(row) && !(await drained(res))) {
        await entries.return(undefined);
        return;
      }
    }
    res.end();
  });

  const reports = Router();
  reports.use(requireSession, requireRole('admin'));
  reports.get('/refusals', async (req, res) => {
    res.json(await refusalReport(memberOf(req), reportQuerySchema.parse(req.query), clock));
  });
  reports.get('/opt-outs', async (req, res) => {
    res.json(await consentReport(memberOf(req), reportQuerySchema.parse(req.query), clock));
  });

  return [
    { path: '/api/audit', router: audit },
    { path: '/api/compliance', router: reports },
  ];
}

const tag = 'Audit and compliance';
export const complianceOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/audit',
    summary: 'The audit log: every automated and admin action with its consent basis.',
    tag,
    access: 'admin',
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of entries.', schema: auditPageAnswer } },
  },
  {
    method: 'get',
    path: '/api/audit/export',
    summary: 'The audit log as CSV.',
    tag,
    access: 'admin',
    query: auditFilterSchema,
    responses: { 200: { description: 'The CSV file.', contentType: 'text/csv' } },
  },
  {
    method: 'get',
    path: '/api/compliance/refusals',
    summary: 'Sends the messaging policy refused, per day and reason.',
    tag,
    access: 'admin',
    query: reportQuerySchema,
    responses: { 200: { description: 'The report.', schema: refusalsAnswer } },
  },
  {
    method: 'get',
    path: '/api/compliance/opt-outs',
    summary: 'Opt-ins and opt-outs per day.',
    tag,
    access: 'admin',
    query: reportQuerySchema,
    responses: { 200: { description: 'The report.', schema: optOutsAnswer } },
  },
];
