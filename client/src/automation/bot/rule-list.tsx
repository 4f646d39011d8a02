import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BotBlock, BotRule } from '../../api/automation';
import { api } from '../../api/http';
import { SaveIssues, issuesOf, secondaryButton } from '../form-parts';
import { Section } from '../../layout/section';
import { RuleForm } from './rule-form';
import { kindWords, whenWords } from './rule-words';

/** The Page's rules in the order the bot tries them: the first that matches answers. */
export function RuleList({
  pageId,
  rules,
  blocks,
}: {
  pageId: string;
  rules: BotRule[];
  blocks: BotBlock[];
}) {
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['bot'] });
  const reorder = useMutation({
    mutationFn: (ruleIds: string[]) => api('PUT', '/api/bot/rules/order', { page: pageId, ruleIds }),
    onSettled: refresh,
  });
  const change = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      api('PATCH', `/api/bot/rules/${id}`, { active }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/bot/rules/${id}`),
    onSettled: refresh,
  });
  const blockName = new Map(blocks.map((block) => [block._id, block.name]));
  const move = (index: number, by: -1 | 1) => {
    const ids = rules.map((rule) => rule._id);
    const [moved] = ids.splice(index, 1);
    if (moved) ids.splice(index + by, 0, moved);
    reorder.mutate(ids);
  };
  const busy = reorder.isPending || change.isPending || remove.isPending;
  const failure = reorder.error ?? change.error ?? remove.error;

  return (
    <Section title="Rules" id="rules-heading">
      <p className="text-sm text-slate-600">
        The bot tries the rules from the top and answers with the first that matches, once per message.
      </p>
      {rules.length === 0 && (
        <p className="text-slate-600">No rule yet: the bot answers nothing on this Page.</p>
      )}
      <ol aria-label="Rules in the order the bot tries them" className="space-y-2">
        {rules.map((rule, index) => {
          const name = `${index + 1}. ${kindWords[rule.kind]}`;
          return (
            <li
              key={rule._id}
              aria-label={name}
              className={`flex flex-wrap items-center gap-2 rounded-md border p-2 ${
                rule.active ? 'border-slate-200' : 'border-dashed border-slate-300 bg-slate-50'
              }`}
            >
              <div className="min-w-48 flex-1 text-sm">
                <p className="font-medium">{name}</p>
                <p className="text-slate-700">
                  {whenWords(rule)} →{' '}
                  {rule.block ? (
                    <span className="font-medium">{blockName.get(rule.block) ?? 'a deleted block'}</span>
                  ) : (
                    'no message'
                  )}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    checked={rule.active}
                    disabled={busy}
                    onChange={(event) => change.mutate({ id: rule._id, active: event.target.checked })}
                  />
                  Active
                </label>
                <button
                  type="button"
                  disabled={busy || index === 0}
                  onClick={() => move(index, -1)}
                  aria-label={`Move rule ${index + 1} up`}
                  className={secondaryButton}
                >
                  ↑
                </button>
                <button
                  type="button"
                  disabled={busy || index === rules.length - 1}
                  onClick={() => move(index, 1)}
                  aria-label={`Move rule ${index + 1} down`}
                  className={secondaryButton}
                >
                  ↓
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => setEditing(rule._id)}
                  aria-label={`Edit rule ${index + 1}`}
                  className={secondaryButton}
                >
                  Edit
                </button>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => remove.mutate(rule._id)}
                  aria-label={`Delete rule ${index + 1}`}
                  className={secondaryButton}
                >
                  Delete
                </button>
              </div>
              {editing === rule._id && (
                <div className="w-full">
                  <RuleForm
                    pageId={pageId}
                    blocks={blocks}
                    nextPriority={rule.priority}
                    rule={rule}
                    label={`Edit rule ${index + 1}`}
                    onDone={() => setEditing(null)}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <SaveIssues issues={issuesOf(failure)} fieldName={(path) => path} />
      {adding ? (
        <RuleForm
          pageId={pageId}
          blocks={blocks}
          nextPriority={(rules.at(-1)?.priority ?? 0) + 10}
          label="New rule"
          onDone={() => setAdding(false)}
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)} className={secondaryButton}>
          New rule
        </button>
      )}
    </Section>
  );
}
