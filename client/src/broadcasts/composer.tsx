import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useContentCheck, type Broadcast, type BroadcastPurpose } from '../api/broadcasts';
import { ApiError, api, post } from '../api/http';
import { Section } from '../layout/section';
import { usePages } from '../api/pages';
import { AudienceEditor } from './audience-editor';
import { useDebounced } from './debounced';
import { emptyForm, fromBroadcast, toContent, toDraft, type DraftForm } from './draft-form';
import { fieldId, fieldName, type Judged } from './limited-field';
import { MessageEditor } from './message-editor';
import { MessengerPreview } from './messenger-preview';
import { purposeWords } from './words';

const primary =
  'rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50';
const secondary =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50';

const emptyMessage = /must not be empty/u;

/** The browser's own time zone first, then every other the browser knows. */
function timeZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [own, ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== own)];
}

type Action =
  { kind: 'draft' } | { kind: 'send' } | { kind: 'schedule'; localTime: string; timeZone: string };

/**
 * Compose a broadcast: the message with a live Messenger preview and Meta's limits counted as typed (the server's
 * content check decides), its purpose in plain words, its audience with the live estimate, then save, send now or
 * schedule in a chosen time zone. `broadcast` is a draft being edited.
 */
export function Composer({ broadcast }: { broadcast?: Broadcast }) {
  const pages = usePages();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState<DraftForm>(() => (broadcast ? fromBroadcast(broadcast) : emptyForm([])));
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [savedId, setSavedId] = useState(broadcast?._id);
  const [localTime, setLocalTime] = useState('');
  const [zones] = useState(timeZones);
  const [timeZone, setTimeZone] = useState(zones[0] ?? 'UTC');
  const connected = pages.data ?? [];
  // A new broadcast starts on the first Page, once the Pages are known.
  const chosenPages =
    broadcast || form.pages.length || touched.has('pages')
      ? form.pages
      : connected.slice(0, 1).map((p) => p.id);
  const current = { ...form, pages: chosenPages };
  const change = (next: Partial<DraftForm>) => {
    if (next.pages) setTouched((was) => new Set(was).add('pages'));
    setForm((was) => ({ ...was, pages: chosenPages, ...next }));
  };

  const content = toContent(current);
  const check = useContentCheck(useDebounced(content));
  const save = useMutation({
    mutationFn: async (action: Action) => {
      const draft = toDraft(current);
      const saved = savedId
        ? await api<Broadcast>('PUT', `/api/broadcasts/${savedId}`, draft)
        : await post<Broadcast>('/api/broadcasts', draft);
      // Saved before sending: if the send or schedule is refused, trying again edits this draft, not a second one.
      setSavedId(saved._id);
      if (action.kind === 'send') await post(`/api/broadcasts/${saved._id}/send`);
      if (action.kind === 'schedule')
        await post(`/api/broadcasts/${saved._id}/schedule`, {
          localTime: action.localTime,
          timeZone: action.timeZone,
        });
      return saved._id;
    },
    onSuccess: async (id) => {
      await client.invalidateQueries({ queryKey: ['broadcasts'] });
      await navigate(`/broadcasts/${id}`);
    },
  });
  const refused =
    save.error instanceof ApiError && Array.isArray(save.error.problem.issues)
      ? (save.error.problem.issues as { path: string; message: string }[])
      : [];

  const judged: Judged = {
    countOf: (path) => check.data?.counts.find((count) => count.path === path),
    issueOf: (path) => {
      const fromSave = refused.find((issue) => issue.path === `content.${path}`)?.message;
      const live = check.data?.issues.find((issue) => issue.path === path)?.message;
      // The live check judges the content as it is now; a refused save's reasons stand in until it answers.
      const message = check.data ? live : fromSave;
      if (message && emptyMessage.test(message) && !submitted && !touched.has(path)) return undefined;
      return message;
    },
    touch: (path) => setTouched((was) => (was.has(path) ? was : new Set(was).add(path))),
  };
  const contentIssues = (check.data?.issues ?? []).filter((issue) => judged.issueOf(issue.path));
  const otherIssues = refused.filter((issue) => !issue.path.startsWith('content.'));

  const act = (action: Action) => {
    setSubmitted(true);
    save.mutate(action);
  };
  const pageName = connected.find((page) => page.id === chosenPages[0])?.name ?? 'Your Page';

  return (
    <form
      aria-label="Compose a broadcast"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        act({ kind: 'draft' });
      }}
    >
      <div className="space-y-1">
        <label htmlFor="broadcast-name" className="text-sm font-medium">
          Name (only your team sees it)
        </label>
        <input
          id="broadcast-name"
          value={form.name}
          onChange={(event) => change({ name: event.target.value })}
          aria-invalid={otherIssues.some((issue) => issue.path === 'name') || undefined}
          className="w-full max-w-md rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </div>
      <Section title="Message">
        <div className="grid gap-4 lg:grid-cols-2">
          <div className="min-w-0">
            <MessageEditor form={current} change={change} judged={judged} />
          </div>
          <div className="min-w-0 lg:sticky lg:top-4 lg:self-start">
            <MessengerPreview content={content} pageName={pageName} />
          </div>
        </div>
      </Section>
      <Section title="Purpose">
        <fieldset className="space-y-2">
          <legend className="sr-only">What the broadcast is for</legend>
          {(Object.keys(purposeWords) as BroadcastPurpose[]).map((purpose) => (
            <label key={purpose} className="flex gap-2 text-sm">
              <input
                type="radio"
                name="purpose"
                className="mt-1"
                checked={form.purpose === purpose}
                onChange={() => change({ purpose })}
              />
              <span>
                <span className="font-medium">{purposeWords[purpose].label}</span>
                <span className="block text-slate-600">{purposeWords[purpose].explained}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </Section>
      <Section title="Audience">
        <AudienceEditor form={current} change={change} pages={connected} />
      </Section>
      <Section title="Send">
        {(contentIssues.length > 0 || otherIssues.length > 0) && (
          <div
            aria-live="polite"
            className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
          >
            <p className="font-medium">Facebook would refuse this broadcast as it is:</p>
            <ul className="list-disc pl-5">
              {contentIssues.map((issue) => (
                <li key={issue.path}>
                  <a href={`#${fieldId(issue.path)}`} className="underline">
                    {fieldName(issue.path)}
                  </a>
                  : {issue.message}
                </li>
              ))}
              {otherIssues.map((issue) => (
                <li key={issue.path}>
                  {fieldName(issue.path)}: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {save.isError && refused.length === 0 && (
          <p role="alert" className="text-sm text-red-700">
            {save.error.message}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className={secondary} disabled={save.isPending}>
            Save draft
          </button>
          <button
            type="button"
            className={primary}
            disabled={save.isPending}
            onClick={() => act({ kind: 'send' })}
          >
            Send now
          </button>
        </div>
        <fieldset className="flex flex-wrap items-end gap-2">
          <legend className="mb-1 text-sm font-medium">Or send later</legend>
          <label className="flex flex-col text-sm">
            Date and time
            <input
              type="datetime-local"
              value={localTime}
              onChange={(event) => setLocalTime(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </label>
          <label className="flex flex-col text-sm">
            Time zone
            <select
              value={timeZone}
              onChange={(event) => setTimeZone(event.target.value)}
              className="max-w-xs rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className={secondary}
            disabled={save.isPending || !localTime}
            onClick={() => act({ kind: 'schedule', localTime, timeZone })}
          >
            Schedule
          </button>
        </fieldset>
      </Section>
    </form>
  );
}
