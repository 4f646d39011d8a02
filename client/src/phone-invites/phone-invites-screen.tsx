import { useState, type FormEvent } from 'react';
import { Navigate } from 'react-router';
import { usePages } from '../api/pages';
import {
  usePhoneInvitations,
  useUploadPhoneNumbers,
  type UploadLine,
  type UploadResult,
} from '../api/phone-invites';
import { useMe } from '../api/session';
import { fullDate } from '../inbox/time';

const consentStatement =
  'Each person whose number I upload agreed to be contacted by this Page on Messenger at that number.';

const outcomeWords: Record<UploadLine['outcome'], string> = {
  queued: 'Queued',
  invalid: 'Not a number',
  already_invited: 'Already invited',
  repeated_in_upload: 'Repeated',
};

/** Invite people by phone number: upload numbers with an attestation of consent, follow each number's invitation. */
export default function PhoneInvitesScreen() {
  const me = useMe();
  const pages = usePages();
  const [pageId, setPageId] = useState('');
  if (me.data && !me.data.can.invitePhones) return <Navigate to="/" replace />;
  const chosen = pageId || pages.data?.[0]?.id || '';
  return (
    <div className="mx-auto max-w-4xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">Phone invitations</h1>
      <p className="text-sm text-slate-600">
        Send one Messenger invitation to each phone number you upload. Meta offers this for US numbers only (a
        beta); each number is invited once, ever, and only with your word that the person agreed.
      </p>
      <label className="block text-sm">
        <span className="font-medium">Page</span>
        <select
          value={chosen}
          onChange={(event) => setPageId(event.target.value)}
          className="mt-1 block w-full max-w-sm rounded-md border border-slate-300 px-2 py-1"
        >
          {pages.data?.map((page) => (
            <option key={page.id} value={page.id}>
              {page.name}
            </option>
          ))}
        </select>
      </label>
      {chosen && <UploadForm pageId={chosen} />}
      {chosen && <Invitations pageId={chosen} />}
    </div>
  );
}

function UploadForm({ pageId }: { pageId: string }) {
  const upload = useUploadPhoneNumbers(pageId);
  const [numbers, setNumbers] = useState('');
  const [message, setMessage] = useState('');
  const [consent, setConsent] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate({ numbers, message, consentAttested: consent }, { onSuccess: setResult });
  };
  return (
    <section
      aria-labelledby="upload-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="upload-heading" className="text-lg font-medium">
        Upload numbers
      </h2>
      <form onSubmit={submit} className="space-y-3 text-sm">
        <label className="block">
          <span className="font-medium">Phone numbers</span>
          <span className="block text-slate-600">
            One per line, or a CSV whose first column is the number.
          </span>
          <textarea
            value={numbers}
            onChange={(event) => setNumbers(event.target.value)}
            required
            rows={5}
            placeholder={'+1 212 555 0100\n(212) 555-0101'}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 font-mono"
          />
        </label>
        <label className="block">
          <span className="font-medium">Invitation</span>
          <input
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            required
            maxLength={1000}
            placeholder="Come chat with us on Messenger!"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            checked={consent}
            onChange={(event) => setConsent(event.target.checked)}
            required
            className="mt-1"
          />
          <span>{consentStatement}</span>
        </label>
        <button
          type="submit"
          disabled={upload.isPending}
          className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Upload and invite
        </button>
        {upload.isError && (
          <p role="alert" className="text-red-700">
            {upload.error.message}
          </p>
        )}
      </form>
      {result && <UploadLines result={result} />}
    </section>
  );
}

function UploadLines({ result }: { result: UploadResult }) {
  return (
    <div className="overflow-x-auto">
      <p className="text-sm" role="status">
        {result.queued} queued of {result.lines.length} lines.
      </p>
      <table className="mt-2 w-full text-left text-sm">
        <caption className="sr-only">What became of each line</caption>
        <thead>
          <tr className="border-b border-slate-200">
            <th className="py-1 pr-3">Line</th>
            <th className="py-1 pr-3">Read as</th>
            <th className="py-1 pr-3">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {result.lines.map((line) => (
            <tr key={line.line} className="border-b border-slate-100">
              <td className="py-1 pr-3">{line.line}</td>
              <td className="py-1 pr-3 font-mono">{line.phoneNumber ?? line.input}</td>
              <td className="py-1 pr-3">
                {outcomeWords[line.outcome]}
                {line.reason && <span className="block text-slate-600">{line.reason}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Invitations({ pageId }: { pageId: string }) {
  const invitations = usePhoneInvitations(pageId);
  return (
    <section aria-labelledby="invitations-heading" className="space-y-2">
      <h2 id="invitations-heading" className="text-lg font-medium">
        Invitations
      </h2>
      {invitations.data?.length === 0 && <p className="text-sm text-slate-600">No invitations yet.</p>}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white text-sm">
        {invitations.data?.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2">
            <span className="font-mono">{invitation.phoneNumber}</span>
            <span className={invitation.status === 'sent' ? 'text-green-800' : 'text-slate-800'}>
              {invitation.status}
            </span>
            <span className="text-slate-600">consent attested {fullDate(invitation.consent.attestedAt)}</span>
            {invitation.reason && <span className="basis-full text-red-800">{invitation.reason}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
