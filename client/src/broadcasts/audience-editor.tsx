import { useState, type FormEvent } from 'react';
import { useAudienceOptions, useEstimate, type Estimate } from '../api/broadcasts';
import type { PageView } from '../api/types';
import { useDebounced } from './debounced';
import { toAudience, type DraftForm } from './draft-form';
import { exclusionWords, optInSourceWords } from './words';

const input = 'rounded-md border border-slate-300 px-2 py-1 text-sm';
const smallButton = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100';

type Change = (change: Partial<DraftForm>) => void;

function toggle(list: string[], value: string, on: boolean) {
  return on ? [...new Set([...list, value])] : list.filter((one) => one !== value);
}

function Tags({ tags, change }: { tags: string[]; change: Change }) {
  const options = useAudienceOptions();
  const [typed, setTyped] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = typed.trim();
    if (tag) change({ tags: toggle(tags, tag, true) });
    setTyped('');
  };
  return (
    <div className="space-y-1">
      <label htmlFor="audience-tag" className="text-sm font-medium">
        Has every one of these tags
      </label>
      <div className="flex flex-wrap items-center gap-1">
        {tags.map((tag) => (
          <span key={tag} className="flex items-center gap-1 rounded-full bg-brand-50 px-2 py-0.5 text-sm">
            {tag}
            <button
              type="button"
              aria-label={`Remove tag ${tag}`}
              className="rounded-full px-1 hover:bg-brand-100"
              onClick={() => change({ tags: toggle(tags, tag, false) })}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id="audience-tag"
          list="audience-tag-options"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={(event) => event.key === 'Enter' && add(event)}
          className={input}
        />
        <datalist id="audience-tag-options">
          {options.data?.tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <button type="button" className={smallButton} onClick={add}>
          Add tag
        </button>
      </div>
    </div>
  );
}

function CustomFields({ fields, change }: { fields: DraftForm['customFields']; change: Change }) {
  const set = (i: number, field: Partial<DraftForm['customFields'][number]>) =>
    change({ customFields: fields.map((one, j) => (j === i ? { ...one, ...field } : one)) });
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium">Custom fields equal to</legend>
      {fields.map((field, i) => (
        <div key={i} className="flex flex-wrap items-center gap-1">
          <input
            aria-label={`Custom field ${i + 1} name`}
            placeholder="field"
            value={field.name}
            onChange={(event) => set(i, { name: event.target.value })}
            className={input}
          />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`Custom field ${i + 1} value`}
            placeholder="value"
            value={field.value}
            onChange={(event) => set(i, { value: event.target.value })}
            className={input}
          />
          <button
            type="button"
            className={smallButton}
            onClick={() => change({ customFields: fields.filter((_, j) => j !== i) })}
          >
            Remove custom field {i + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className={smallButton}
        onClick={() => change({ customFields: [...fields, { name: '', value: '' }] })}
      >
        Add custom field
      </button>
    </fieldset>
  );
}

/** Who receives the broadcast: its Pages and a segment of their subscribers, with the live estimate. */
export function AudienceEditor({
  form,
  change,
  pages,
}: {
  form: DraftForm;
  change: Change;
  pages: PageView[];
}) {
  const options = useAudienceOptions();
  return (
    <div className="space-y-4">
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Pages</legend>
        {pages.length === 0 && <p className="text-sm text-slate-600">Connect a Page first (Pages).</p>}
        <div className="flex flex-wrap gap-3">
          {pages.map((page) => (
            <label key={page.id} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={form.pages.includes(page.id)}
                onChange={(event) => change({ pages: toggle(form.pages, page.id, event.target.checked) })}
              />
              {page.name}
            </label>
          ))}
        </div>
      </fieldset>
      <Tags tags={form.tags} change={change} />
      <CustomFields fields={form.customFields} change={change} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Came in by any of (none ticked: any way)</legend>
        <div className="flex flex-wrap gap-3">
          {(options.data?.optInSources ?? []).map((source) => (
            <label key={source} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={form.optInSources.includes(source)}
                onChange={(event) =>
                  change({ optInSources: toggle(form.optInSources, source, event.target.checked) })
                }
              />
              {optInSourceWords[source] ?? source}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="flex flex-wrap items-end gap-3">
        <legend className="mb-1 text-sm font-medium">Last interaction with the Page</legend>
        <label className="flex flex-col text-sm">
          On or after
          <input
            type="date"
            value={form.interactedAfter}
            onChange={(event) => change({ interactedAfter: event.target.value })}
            className={input}
          />
        </label>
        <label className="flex flex-col text-sm">
          On or before
          <input
            type="date"
            value={form.interactedBefore}
            onChange={(event) => change({ interactedBefore: event.target.value })}
            className={input}
          />
        </label>
      </fieldset>
      <EstimateBar form={form} />
    </div>
  );
}

/** The live estimate: one bar of who would receive it and who is left out for which reason, with the numbers. */
function EstimateBar({ form }: { form: DraftForm }) {
  const draft = useDebounced({ pages: form.pages, audience: toAudience(form), purpose: form.purpose }, 300);
  const estimate = useEstimate(draft);
  if (form.pages.length === 0) return null;
  if (estimate.isError)
    return (
      <p role="alert" className="text-sm text-red-700">
        {estimate.error.message}
      </p>
    );
  const data = estimate.data;
  if (!data) return <p className="text-sm text-slate-500">Counting…</p>;
  const parts: { label: string; count: number; colour: string }[] = [
    { label: 'Will receive it', count: data.eligible, colour: 'bg-emerald-600' },
    ...exclusionWords.map(({ key, label, colour }) => ({
      label,
      count: data.excluded[key as keyof Estimate['excluded']],
      colour,
    })),
  ];
  const everyone = parts.reduce((sum, part) => sum + part.count, 0);
  return (
    <section aria-labelledby="estimate-heading" className="space-y-2 rounded-md bg-slate-50 p-3">
      <h3 id="estimate-heading" className="text-sm font-semibold">
        Estimate: {data.eligible} of {everyone} subscribers will receive it
        {estimate.isFetching && <span className="ml-2 font-normal text-slate-500">(updating…)</span>}
      </h3>
      <div aria-hidden="true" className="flex h-4 w-full overflow-hidden rounded-full bg-slate-200">
        {parts.map((part) =>
          part.count > 0 ? (
            <span
              key={part.label}
              className={part.colour}
              style={{ width: `${(part.count / Math.max(1, everyone)) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <ul aria-label="Who receives it and who is left out" className="grid gap-1 text-sm sm:grid-cols-2">
        {parts.map((part) => (
          <li key={part.label} className="flex items-center gap-2">
            <span aria-hidden="true" className={`inline-block h-3 w-3 rounded-sm ${part.colour}`} />
            <span>
              {part.label}: <span className="font-semibold tabular-nums">{part.count}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
