import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { post } from '../api/http';
import { useSandbox } from '../api/session';

/**
 * Only when the simulator plays Meta: act as a simulated person on Messenger (write, tap a quick reply, send STOP,
 * comment on a post) and move the simulated clock, to see the whole product without a Facebook app.
 */
export default function SandboxScreen() {
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

  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown; said: string }) =>
      post(`/api/sandbox/${path}`, body),
    onSuccess: (_result, { said }) => setDone(said),
  });
  const asPerson = (action: string, body: Record<string, unknown>, said: string) =>
    act.mutate({
      path: `people/${encodeURIComponent(person)}/${action}`,
      body: { pageId: page, ...body },
      said,
    });

  const write = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    asPerson(
      'messages',
      { text },
      `Sent “${text}” as ${people.find((p) => p.id === person)?.name ?? person}.`,
    );
    setText('');
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
        Meta is simulated on this machine. Act as one of the simulated people on Messenger; what they do
        reaches Pagewire as Meta’s webhooks would. Connect the Page first (Pages), and keep the Inbox open in
        another tab.
      </p>
      <div className="flex flex-wrap gap-3">
        <label className="flex items-center gap-2 text-sm">
          Person
          <select
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
            onClick={() => asPerson('messages', { text: 'STOP' }, 'Sent STOP: the person is unsubscribed.')}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
          >
            Send STOP
          </button>
          <button
            type="button"
            onClick={() =>
              asPerson(
                'quick-replies',
                { title: text || 'Yes', payload: text || 'Yes' },
                'Tapped a quick reply.',
              )
            }
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
          >
            Tap a quick reply
          </button>
        </div>
      </form>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (postId.trim() && text.trim())
            act.mutate({
              path: `people/${encodeURIComponent(person)}/comments`,
              body: { postId, message: text },
              said: 'Commented on the post.',
            });
        }}
        className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
      >
        <label htmlFor="sandbox-post" className="block text-sm font-medium">
          Comment on a post (the message above is the comment)
        </label>
        <input
          id="sandbox-post"
          value={postId}
          onChange={(event) => setPostId(event.target.value)}
          placeholder="Post id"
          className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <button
          type="submit"
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
        >
          Comment
        </button>
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
        </p>
        <div className="flex flex-wrap gap-2">
          {[1, 6, 30, 24 * 8].map((hours) => (
            <button
              key={hours}
              type="button"
              onClick={() =>
                act.mutate({
                  path: 'clock/advance',
                  body: { hours },
                  said: `Moved the clock ${hours} hours forward.`,
                })
              }
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
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
