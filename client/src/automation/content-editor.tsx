import type { AutomatedContent, FieldCount, Issue } from '../api/automation';
import type { Button } from '../api/types';
import { useContentCheck } from '../api/automation';
import { Count, FieldIssues, inputClass, secondaryButton, useDebounced } from './form-parts';

interface ContentEditorProps {
  /** Prefixes the fields' ids and names them for people ("Reply", "Private reply"). */
  id: string;
  label: string;
  value: AutomatedContent;
  onChange(value: AutomatedContent): void;
  /** Issues of a refused save, their paths relative to the content. */
  saveIssues?: Issue[];
}

function valueAt(content: AutomatedContent, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined),
      content,
    );
}

export const emptyContent = (): AutomatedContent => ({ text: '', buttons: [], quickReplies: [] });

/**
 * Text, buttons and quick replies, each limited field counted as the server counts it (POST /api/bot/content/check)
 * while it is typed, with what saving would refuse shown under the field it concerns.
 */
export function ContentEditor({ id, label, value, onChange, saveIssues = [] }: ContentEditorProps) {
  const check = useContentCheck(useDebounced(value));
  const counts = new Map<string, FieldCount>(check.data?.counts.map((count) => [count.path, count]));
  // An empty field is not yet a mistake while someone types; saving it says so.
  const typed = (check.data?.issues ?? []).filter((issue) => valueAt(value, issue.path) !== '');
  const issues = [...typed, ...saveIssues];
  const issuesAt = (path: string) => issues.filter((issue) => issue.path === path);
  const atMost = (path: string, shown: number) => shown >= (counts.get(path)?.max ?? Infinity);

  const setButton = (index: number, button: Button) =>
    onChange({ ...value, buttons: value.buttons.map((b, i) => (i === index ? button : b)) });
  const setReply = (index: number, reply: { title: string; payload: string }) =>
    onChange({ ...value, quickReplies: value.quickReplies.map((r, i) => (i === index ? reply : r)) });

  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium">{label}</legend>
      <div className="space-y-1">
        <label htmlFor={`${id}-text`} className="block text-sm">
          Text
        </label>
        <textarea
          id={`${id}-text`}
          value={value.text}
          onChange={(event) => onChange({ ...value, text: event.target.value })}
          rows={3}
          aria-describedby={`${id}-text-count`}
          className={inputClass}
        />
        <Count id={`${id}-text-count`} count={counts.get('text')} />
        <FieldIssues issues={issuesAt('text')} />
      </div>

      <div className="space-y-2">
        <h3 className="text-sm font-medium">
          Buttons <Count id={`${id}-buttons-count`} count={counts.get('buttons')} />
        </h3>
        {value.buttons.map((button, index) => (
          <div key={index} className="flex flex-wrap items-start gap-2 rounded-md bg-slate-50 p-2">
            <label className="flex items-center gap-1 text-sm">
              <span className="sr-only">Button {index + 1} kind</span>
              <select
                value={button.type}
                onChange={(event) =>
                  setButton(
                    index,
                    event.target.value === 'web_url'
                      ? { type: 'web_url', title: button.title, url: '' }
                      : { type: 'postback', title: button.title, payload: '' },
                  )
                }
                className="rounded-md border border-slate-300 bg-white px-1 py-1"
              >
                <option value="postback">Answers with a payload</option>
                <option value="web_url">Opens a web page</option>
              </select>
            </label>
            <div className="min-w-32 flex-1">
              <label className="sr-only" htmlFor={`${id}-button-${index}-title`}>
                Button {index + 1} title
              </label>
              <input
                id={`${id}-button-${index}-title`}
                placeholder="Title"
                value={button.title}
                onChange={(event) => setButton(index, { ...button, title: event.target.value })}
                aria-describedby={`${id}-button-${index}-count`}
                className={inputClass}
              />
              <Count id={`${id}-button-${index}-count`} count={counts.get(`buttons.${index}.title`)} />
              <FieldIssues issues={issuesAt(`buttons.${index}.title`)} />
            </div>
            <div className="min-w-32 flex-1">
              <label className="sr-only" htmlFor={`${id}-button-${index}-target`}>
                Button {index + 1} {button.type === 'web_url' ? 'web address' : 'payload'}
              </label>
              <input
                id={`${id}-button-${index}-target`}
                placeholder={button.type === 'web_url' ? 'https://…' : 'PAYLOAD'}
                value={(button.type === 'web_url' ? button.url : button.payload) ?? ''}
                onChange={(event) =>
                  setButton(
                    index,
                    button.type === 'web_url'
                      ? { ...button, url: event.target.value }
                      : { ...button, payload: event.target.value },
                  )
                }
                className={inputClass}
              />
              <FieldIssues
                issues={issuesAt(`buttons.${index}.${button.type === 'web_url' ? 'url' : 'payload'}`)}
              />
            </div>
            <button
              type="button"
              onClick={() => onChange({ ...value, buttons: value.buttons.filter((_b, i) => i !== index) })}
              className={secondaryButton}
            >
              Remove button {index + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={atMost('buttons', value.buttons.length)}
          onClick={() =>
            onChange({ ...value, buttons: [...value.buttons, { type: 'postback', title: '', payload: '' }] })
          }
          className={secondaryButton}
        >
          Add a button
        </button>
        <FieldIssues issues={issuesAt('buttons')} />
      </div>

      <div className="space-y-2">
        <h3 className="text-sm font-medium">
          Quick replies <Count id={`${id}-replies-count`} count={counts.get('quickReplies')} />
        </h3>
        {value.quickReplies.map((reply, index) => (
          <div key={index} className="flex flex-wrap items-start gap-2 rounded-md bg-slate-50 p-2">
            <div className="min-w-32 flex-1">
              <label className="sr-only" htmlFor={`${id}-reply-${index}-title`}>
                Quick reply {index + 1} title
              </label>
              <input
                id={`${id}-reply-${index}-title`}
                placeholder="Title"
                value={reply.title}
                onChange={(event) => setReply(index, { ...reply, title: event.target.value })}
                aria-describedby={`${id}-reply-${index}-count`}
                className={inputClass}
              />
              <Count id={`${id}-reply-${index}-count`} count={counts.get(`quickReplies.${index}.title`)} />
              <FieldIssues issues={issuesAt(`quickReplies.${index}.title`)} />
            </div>
            <div className="min-w-32 flex-1">
              <label className="sr-only" htmlFor={`${id}-reply-${index}-payload`}>
                Quick reply {index + 1} payload
              </label>
              <input
                id={`${id}-reply-${index}-payload`}
                placeholder="PAYLOAD"
                value={reply.payload}
                onChange={(event) => setReply(index, { ...reply, payload: event.target.value })}
                className={inputClass}
              />
              <FieldIssues issues={issuesAt(`quickReplies.${index}.payload`)} />
            </div>
            <button
              type="button"
              onClick={() =>
                onChange({ ...value, quickReplies: value.quickReplies.filter((_r, i) => i !== index) })
              }
              className={secondaryButton}
            >
              Remove quick reply {index + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={atMost('quickReplies', value.quickReplies.length)}
          onClick={() =>
            onChange({ ...value, quickReplies: [...value.quickReplies, { title: '', payload: '' }] })
          }
          className={secondaryButton}
        >
          Add a quick reply
        </button>
        <FieldIssues issues={issuesAt('quickReplies')} />
      </div>
    </fieldset>
  );
}
