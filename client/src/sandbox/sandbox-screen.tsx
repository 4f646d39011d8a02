import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { post } from '../api/http';
import { useSandbox } from '../api/session';

const button =
  'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50';

/**
 * Only when the simulator plays Meta: act as a simulated person on Messenger (write, tap a quick reply, send STOP,
 * comment on a post) and move the simulated clock, to see the whole product without a Facebook app.
 */
export default function SandboxScreen() {
  const client = useQueryClient();
  const sandbox = useSandbox();
  const people = sandbox.data?.people ?? [];
  const pages = sandbox.data?.pages ?? [];
  const [personId, setPersonId] = useState('');
  const [pageId, setPageId] = useState('');
  const [text, setText] = useState('');
  const [postId, setPostId] = useState('');
  const [done, setDone] = useState('');
  const person = personId || people[0]?.id || '';
  const page = pageId || pages[0]?.id || '';
  const posts = (sandbox.data?.posts ?? []).filter((candidate) => candidate.pageId === page);
  const post0 = postId || posts[0]?.id || '';
  const personName = people.find((p) => p.id === person)?.name ?? person;

  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown; said: string }) =>
      post(`/api/sandbox/${path}`, body),
    onSuccess: (_result, { said }) => {
      setDone(said);
      // A new post to comment on; the clock the reply windows count from.
      void client.invalidateQueries({ queryKey: ['sandbox'] });
      void client.invalidateQueries({ queryKey: ['conversation'] });
    },
  });
  const message = (body: { text: string; quickReplyPayload?: string }, said: string) =>
    act.mutate({ path: 'messages', body: { personId: person, pageId: page, ...body }, said });

  const write = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    message({ text }, `${personName} wrote “${text}”.`);
    setText('');
  };
  const comment = (event: FormEvent) => {
    event.preventDefault();
    if (!post0 || !text.trim()) return;
    act.mutate({
      path: 'comments',
      body: { personId: person, postId: post0, message: text },
      said: `${personName} commented “${text}”.`,
    });
  };

  if (sandbox.isPending) return <p className="p-4 text-slate-500">Loading…</p>;
  if (!sandbox.data?.enabled)
    return (
      <p className="p-4 text-slate-600">
        The sandbox is available only when Pagewire runs against its Messenger simulator.
      </p>
    );

  return (
    <div className="mx-auto max-w-2xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">Sandbox</h1>
      <p className="text-slate-600">
        Meta is simulated on this machine. Act as one of the simulated people on Messenger: what they do
        reaches Pagewire as Meta’s webhooks would. Connect the Page first (Pages) and keep the Inbox open in
        another tab.
      </p>
      <div className="flex flex-wrap gap-3">
        <label className="flex items-center gap-2 text-sm">
          Person
          <select
            aria-label="Person"
            value={person}
            onChange={(event) => setPersonId(event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          Page
          <select
            aria-label="Page"
            value={page}
            onChange={(event) => setPageId(event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {pages.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form onSubmit={write} className="space-y-2 rounded-md border border-slate-200 bg-white p-3">
        <label htmlFor="sandbox-message" className="block text-sm font-medium">
          Message from the person
        </label>
        <textarea
          id="sandbox-message"
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={2}
          className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
          >
            Send as the person
          </button>
          <button
            type="button"
            className={button}
            onClick={() => message({ text: 'STOP' }, `${personName} sent STOP: they are unsubscribed.`)}
          >
            Send STOP
          </button>
          <button
            type="button"
            className={button}
            onClick={() =>
              message(
                { text: text.trim() || 'Yes', quickReplyPayload: text.trim() || 'Yes' },
                `${personName} tapped a quick reply.`,
              )
            }
          >
            Tap a quick reply
          </button>
        </div>
      </form>
      <form onSubmit={comment} className="space-y-2 rounded-md border border-slate-200 bg-white p-3">
        <h2 className="text-sm font-medium">Comments on the Page’s posts</h2>
        {posts.length === 0 ? (
          <p className="text-sm text-slate-600">The Page has no post yet.</p>
        ) : (
          <label className="flex items-center gap-2 text-sm">
            Post
            <select
              aria-label="Post"
              value={post0}
              onChange={(event) => setPostId(event.target.value)}
              className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1"
            >
              {posts.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {(candidate.message ?? 'A post without text').slice(0, 60)}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={!post0} className={button}>
            Comment with the message above
          </button>
          <button
            type="button"
            className={button}
            onClick={() =>
              act.mutate({
                path: 'posts',
                body: { pageId: page, message: text.trim() || 'Fresh sourdough today!' },
                said: 'The Page published a post.',
              })
            }
          >
            Publish a post as the Page
          </button>
        </div>
      </form>
      <section
        aria-labelledby="clock-heading"
        className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
      >
        <h2 id="clock-heading" className="text-sm font-medium">
          Simulated clock
        </h2>
        <p className="text-sm text-slate-600">
          Move time forward to see the reply windows close (24 hours, then 7 days).
          {sandbox.data.now && ` Now: ${new Date(sandbox.data.now).toLocaleString()}.`}
        </p>
        <div className="flex flex-wrap gap-2">
          {[1, 6, 30, 24 * 8].map((hours) => (
            <button
              key={hours}
              type="button"
              className={button}
              onClick={() =>
                act.mutate({
                  path: 'clock/advance',
                  body: { hours },
                  said: `The clock moved ${hours} hours on.`,
                })
              }
            >
              +{hours >= 48 ? `${hours / 24} days` : `${hours} hours`}
            </button>
          ))}
        </div>
      </section>
      {act.isError && (
        <p role="alert" className="text-red-700">
          {act.error.message}
        </p>
      )}
      {done && !act.isError && (
        <p role="status" className="text-emerald-800">
          {done}
        </p>
      )}
    </div>
  );
}
