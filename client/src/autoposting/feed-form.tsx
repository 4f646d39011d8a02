import { useState, type FormEvent } from 'react';
import { useCreateFeed, type AutopostFeed, type AutopostTarget } from '../api/autoposting';
import { usePages } from '../api/pages';
import { allTargets, targetLabels } from './targets';

const field = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1';
const sources: [AutopostFeed['source'], string][] = [
  ['feed_url', 'A feed URL'],
  ['page_posts', 'A Page’s own posts'],
];

/** Where a feed's items come from (a URL or a Page's own posts), its Page, where they go and how often it is read. */
export function FeedForm() {
  const create = useCreateFeed();
  const pages = usePages();
  const [name, setName] = useState('');
  const [source, setSource] = useState<AutopostFeed['source']>('feed_url');
  const [url, setUrl] = useState('');
  const [sourcePage, setSourcePage] = useState('');
  const [page, setPage] = useState('');
  const [targets, setTargets] = useState<AutopostTarget[]>(['page_feed']);
  const [pollEveryMinutes, setPollEveryMinutes] = useState(15);
  const chosenPage = page || pages.data?.[0]?.id || '';
  const chosenSourcePage = sourcePage || pages.data?.[0]?.id || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name,
        ...(source === 'feed_url' ? { url } : { sourcePage: chosenSourcePage }),
        page: chosenPage,
        targets,
        pollEveryMinutes,
      },
      {
        onSuccess: () => {
          setName('');
          setUrl('');
        },
      },
    );
  };
  const toggle = (target: AutopostTarget, on: boolean) =>
    setTargets((chosen) => (on ? [...chosen, target] : chosen.filter((t) => t !== target)));

  return (
    <section
      aria-labelledby="new-feed-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="new-feed-heading" className="text-lg font-medium">
        Add a feed
      </h2>
      <form onSubmit={submit} className="grid gap-3 text-sm sm:grid-cols-2">
        <label className="block">
          <span className="font-medium">Name</span>
          <input required value={name} onChange={(event) => setName(event.target.value)} className={field} />
        </label>
        <fieldset className="sm:col-span-2">
          <legend className="font-medium">Read new items from</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {sources.map(([value, label]) => (
              <label key={value} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="feed-source"
                  checked={source === value}
                  onChange={() => setSource(value)}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        {source === 'feed_url' ? (
          <label className="block">
            <span className="font-medium">Feed URL (RSS, Atom or JSON Feed)</span>
            <input
              type="url"
              required
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              placeholder="https://example.com/feed.xml"
              className={field}
            />
          </label>
        ) : (
          <PageSelect
            label="Posts of the Page"
            pages={pages.data ?? []}
            value={chosenSourcePage}
            onChange={setSourcePage}
          />
        )}
        <PageSelect
          label="Send on from the Page"
          pages={pages.data ?? []}
          value={chosenPage}
          onChange={setPage}
        />
        <label className="block">
          <span className="font-medium">Read every (minutes)</span>
          <input
            type="number"
            min={5}
            max={1440}
            required
            value={pollEveryMinutes}
            onChange={(event) => setPollEveryMinutes(Number(event.target.value))}
            className={field}
          />
        </label>
        <fieldset className="sm:col-span-2">
          <legend className="font-medium">Send each new item to</legend>
          <div className="mt-1 space-y-1">
            {allTargets.map((target) => (
              <label key={target} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={targets.includes(target)}
                  onChange={(event) => toggle(target, event.target.checked)}
                />
                {targetLabels[target]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="sm:col-span-2">
          <button
            type="submit"
            disabled={create.isPending || targets.length === 0 || !chosenPage}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          >
            Add feed
          </button>
        </div>
      </form>
      {create.isError && (
        <p role="alert" className="text-sm text-red-700">
          {create.error.message}
        </p>
      )}
    </section>
  );
}

/** One of the workspace's Pages, by name. */
function PageSelect({
  label,
  pages,
  value,
  onChange,
}: {
  label: string;
  pages: { id: string; name: string }[];
  value: string;
  onChange: (pageId: string) => void;
}) {
  return (
    <label className="block">
      <span className="font-medium">{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} className={field}>
        {pages.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}
