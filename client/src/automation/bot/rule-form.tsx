import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  keywordModes,
  ruleKinds,
  type BotBlock,
  type BotRule,
  type KeywordMode,
  type RuleKind,
} from '../../api/automation';
import { api, post } from '../../api/http';
import { SaveIssues, inputClass, issuesOf, primaryButton, secondaryButton, words } from '../form-parts';
import { kindWords, modeWords } from './rule-words';

const fieldNames: Record<string, string> = {
  keywords: 'Keywords',
  payloads: 'Payloads',
  block: 'Answer with',
  kind: 'Kind',
};

/**
 * A new rule, placed last, or an existing `rule` whose words, payloads and block change (its kind stays); the server
 * says what it needs (a block, keywords, payloads) when something is missing.
 */
export function RuleForm(props: {
  pageId: string;
  blocks: BotBlock[];
  nextPriority: number;
  rule?: BotRule;
  /** How the form is named to assistive technology: "New rule", "Edit rule 2". */
  label: string;
  onDone(): void;
}) {
  const { rule } = props;
  const client = useQueryClient();
  const [kind, setKind] = useState<RuleKind>(rule?.kind ?? 'keyword');
  const [keywordMode, setKeywordMode] = useState<KeywordMode>(rule?.keywordMode ?? 'contains');
  const [keywords, setKeywords] = useState(rule?.keywords.join(', ') ?? '');
  const [payloads, setPayloads] = useState(rule?.payloads.join(', ') ?? '');
  const [block, setBlock] = useState(rule ? (rule.block ?? '') : (props.blocks[0]?._id ?? ''));
  const byWords = kind === 'keyword' || kind === 'talk_to_human';
  const byPayload = kind === 'payload' || kind === 'talk_to_human';
  const create = useMutation({
    mutationFn: () => {
      const changes = {
        block: block || null,
        ...(byWords ? { keywordMode, keywords: words(keywords) } : {}),
        ...(byPayload ? { payloads: words(payloads) } : {}),
      };
      return rule
        ? api('PATCH', `/api/bot/rules/${rule._id}`, changes)
        : post('/api/bot/rules', { page: props.pageId, kind, priority: props.nextPriority, ...changes });
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['bot'] });
      props.onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <form onSubmit={submit} aria-label={props.label} className="space-y-3 rounded-md bg-slate-50 p-3">
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-sm">
          Kind
          <select
            value={kind}
            disabled={rule !== undefined}
            onChange={(event) => setKind(event.target.value as RuleKind)}
            className={inputClass}
          >
            {ruleKinds.map((option) => (
              <option key={option} value={option}>
                {kindWords[option]}
              </option>
            ))}
          </select>
        </label>
        {byWords && (
          <label className="flex flex-col gap-1 text-sm">
            The message
            <select
              value={keywordMode}
              onChange={(event) => setKeywordMode(event.target.value as KeywordMode)}
              className={inputClass}
            >
              {keywordModes.map((mode) => (
                <option key={mode} value={mode}>
                  {modeWords[mode]}
                </option>
              ))}
            </select>
          </label>
        )}
        {byWords && (
          <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm">
            Keywords (separated by commas)
            <input
              value={keywords}
              onChange={(event) => setKeywords(event.target.value)}
              className={inputClass}
            />
          </label>
        )}
        {byPayload && (
          <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm">
            Payloads (separated by commas)
            <input
              value={payloads}
              onChange={(event) => setPayloads(event.target.value)}
              className={inputClass}
            />
          </label>
        )}
        <label className="flex flex-col gap-1 text-sm">
          Answer with
          <select value={block} onChange={(event) => setBlock(event.target.value)} className={inputClass}>
            {kind === 'talk_to_human' && <option value="">No message, only the hand-over</option>}
            {props.blocks.map((candidate) => (
              <option key={candidate._id} value={candidate._id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SaveIssues issues={issuesOf(create.error)} fieldName={(path) => fieldNames[path] ?? path} />
      <div className="flex gap-2">
        <button type="submit" disabled={create.isPending} className={primaryButton}>
          {rule ? 'Save the rule' : 'Add the rule'}
        </button>
        <button type="button" onClick={props.onDone} className={secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
