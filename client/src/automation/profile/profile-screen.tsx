import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  useGreetingCheck,
  useProfile,
  type MenuItem,
  type MessengerProfileSettings,
  type ProfileAnswer,
  type ProfileBudget,
} from '../../api/automation';
import { api } from '../../api/http';
import {
  Count,
  FieldIssues,
  SaveIssues,
  inputClass,
  issuesOf,
  primaryButton,
  secondaryButton,
  useDebounced,
} from '../form-parts';
import { Section } from '../../layout/section';

const fieldNames = (path: string) =>
  path === 'greeting'
    ? 'Greeting'
    : path.startsWith('persistentMenu')
      ? `Menu item ${Number(path.split('.')[1] ?? 0) + 1}`
      : path.startsWith('iceBreakers')
        ? `Ice breaker ${Number(path.split('.')[1] ?? 0) + 1}`
        : path;

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function BudgetStatus({ budget }: { budget: ProfileBudget }) {
  return (
    <p role="status" aria-label="Messenger Profile budget" className="rounded-md bg-slate-100 p-2 text-sm">
      Facebook allows {budget.limit} Messenger Profile calls per {budget.windowMinutes} minutes for a Page,
      reading included:{' '}
      <span className="font-semibold">
        {budget.remaining} of {budget.limit} left
      </span>
      {budget.nextFreeAt && <> — the next one frees up at {clock(budget.nextFreeAt)}</>}.
    </p>
  );
}

/** The Page's greeting, persistent menu and ice breakers, read from Facebook once and saved in one call. */
export function ProfileScreen({ pageId }: { pageId: string }) {
  const client = useQueryClient();
  const profile = useProfile(pageId);
  // Held here, not in the form: the saved answer replaces the cached profile and so remounts the form.
  const save = useMutation({
    mutationFn: (changes: Partial<MessengerProfileSettings>) =>
      api<ProfileAnswer>('PUT', `/api/bot/profile/${pageId}`, changes),
    onSuccess: (answer) => client.setQueryData(['bot', 'profile', pageId], answer),
  });
  return (
    <Section title="Messenger Profile" id="profile-heading">
      <p className="text-sm text-slate-600">
        What people see before they write: the greeting, the menu beside the composer, and the questions they
        can tap to start. Get Started always sends the payload the bot answers with its welcome.
      </p>
      {profile.isPending && <p className="text-slate-500">Reading the profile from Facebook…</p>}
      {profile.isError && (
        <div role="alert" className="space-y-2 text-sm text-red-800">
          <p>{profile.error.message}</p>
          <button type="button" onClick={() => void profile.refetch()} className={secondaryButton}>
            Read again from Facebook
          </button>
        </div>
      )}
      {profile.data && (
        <>
          <BudgetStatus budget={profile.data.budget} />
          <ProfileForm
            key={profile.dataUpdatedAt}
            settings={profile.data.data}
            save={save}
            onReread={() => {
              save.reset();
              void profile.refetch();
            }}
          />
        </>
      )}
    </Section>
  );
}

function ProfileForm(props: {
  settings: MessengerProfileSettings;
  save: UseMutationResult<ProfileAnswer, Error, Partial<MessengerProfileSettings>>;
  onReread(): void;
}) {
  const { save } = props;
  const [greeting, setGreeting] = useState(props.settings.greeting ?? '');
  const greetingCheck = useGreetingCheck(useDebounced(greeting));
  const [menu, setMenu] = useState<MenuItem[]>(props.settings.persistentMenu);
  const [iceBreakers, setIceBreakers] = useState(props.settings.iceBreakers);
  const setItem = (index: number, item: MenuItem) => setMenu(menu.map((m, i) => (i === index ? item : m)));
  const setQuestion = (index: number, change: Partial<{ question: string; payload: string }>) =>
    setIceBreakers(iceBreakers.map((q, i) => (i === index ? { ...q, ...change } : q)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Only what is filled in: an empty menu or greeting is left as Facebook has it.
    save.mutate({
      ...(greeting.trim() ? { greeting } : {}),
      ...(menu.length ? { persistentMenu: menu } : {}),
      ...(iceBreakers.length ? { iceBreakers } : {}),
    });
  };

  return (
    <form onSubmit={submit} aria-label="Messenger Profile" className="space-y-4">
      <label className="flex flex-col gap-1 text-sm">
        Greeting (up to 160 characters; {'{{user_first_name}}'} becomes the person’s first name)
        <textarea
          value={greeting}
          onChange={(event) => setGreeting(event.target.value)}
          rows={2}
          aria-describedby="greeting-count"
          aria-invalid={greetingCheck.data?.issues.length ? true : undefined}
          className={inputClass}
        />
      </label>
      <div className="-mt-3 space-y-1">
        <Count id="greeting-count" count={greetingCheck.data?.counts[0]} />
        <FieldIssues issues={greetingCheck.data?.issues ?? []} />
      </div>

      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Persistent menu (up to 20 items)</legend>
        {menu.map((item, index) => (
          <div key={index} className="flex flex-wrap items-center gap-2">
            <label className="text-sm">
              <span className="sr-only">Menu item {index + 1} kind</span>
              <select
                value={item.type}
                onChange={(event) =>
                  setItem(
                    index,
                    event.target.value === 'web_url'
                      ? { type: 'web_url', title: item.title, url: '' }
                      : { type: 'postback', title: item.title, payload: '' },
                  )
                }
                className="rounded-md border border-slate-300 bg-white px-1 py-1"
              >
                <option value="postback">Answers with a payload</option>
                <option value="web_url">Opens a web page</option>
              </select>
            </label>
            <label className="min-w-32 flex-1 text-sm">
              <span className="sr-only">Menu item {index + 1} title</span>
              <input
                placeholder="Title"
                value={item.title}
                onChange={(event) => setItem(index, { ...item, title: event.target.value })}
                className={inputClass}
              />
            </label>
            <label className="min-w-32 flex-1 text-sm">
              <span className="sr-only">
                Menu item {index + 1} {item.type === 'web_url' ? 'web address' : 'payload'}
              </span>
              <input
                placeholder={item.type === 'web_url' ? 'https://…' : 'PAYLOAD'}
                value={item.type === 'web_url' ? item.url : item.payload}
                onChange={(event) =>
                  setItem(
                    index,
                    item.type === 'web_url'
                      ? { ...item, url: event.target.value }
                      : { ...item, payload: event.target.value },
                  )
                }
                className={inputClass}
              />
            </label>
            <button
              type="button"
              onClick={() => setMenu(menu.filter((_m, i) => i !== index))}
              className={secondaryButton}
            >
              Remove menu item {index + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setMenu([...menu, { type: 'postback', title: '', payload: '' }])}
          className={secondaryButton}
        >
          Add a menu item
        </button>
      </fieldset>

      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium">Ice breakers (up to 4 questions)</legend>
        {iceBreakers.map((item, index) => (
          <div key={index} className="flex flex-wrap items-center gap-2">
            <label className="min-w-48 flex-[2] text-sm">
              <span className="sr-only">Ice breaker {index + 1} question</span>
              <input
                placeholder="Question"
                value={item.question}
                onChange={(event) => setQuestion(index, { question: event.target.value })}
                className={inputClass}
              />
            </label>
            <label className="min-w-32 flex-1 text-sm">
              <span className="sr-only">Ice breaker {index + 1} payload</span>
              <input
                placeholder="PAYLOAD"
                value={item.payload}
                onChange={(event) => setQuestion(index, { payload: event.target.value })}
                className={inputClass}
              />
            </label>
            <button
              type="button"
              onClick={() => setIceBreakers(iceBreakers.filter((_q, i) => i !== index))}
              className={secondaryButton}
            >
              Remove ice breaker {index + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setIceBreakers([...iceBreakers, { question: '', payload: '' }])}
          className={secondaryButton}
        >
          Add an ice breaker
        </button>
      </fieldset>

      <SaveIssues issues={issuesOf(save.error)} fieldName={fieldNames} />
      {save.isSuccess && (
        <p role="status" className="text-sm text-emerald-800">
          Saved on Facebook.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={save.isPending} className={primaryButton}>
          Save on Facebook
        </button>
        <button type="button" onClick={props.onReread} className={secondaryButton}>
          Read again from Facebook (one call)
        </button>
      </div>
    </form>
  );
}
