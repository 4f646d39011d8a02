import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AutomatedContent, BotBlock, BotRule } from '../../api/automation';
import { api, post } from '../../api/http';
import { ContentEditor, emptyContent } from '../content-editor';
import { SaveIssues, inputClass, issuesOf, primaryButton, secondaryButton } from '../form-parts';
import { Section } from '../../layout/section';

/** The messages the bot can send on this Page; a rule or a quick reply leads to each. */
export function BlockList({
  pageId,
  blocks,
  rules,
}: {
  pageId: string;
  blocks: BotBlock[];
  rules: BotRule[];
}) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/bot/blocks/${id}`),
    onSettled: () => client.invalidateQueries({ queryKey: ['bot'] }),
  });
  const usedBy = (block: BotBlock) => rules.filter((rule) => rule.block === block._id).length;

  return (
    <Section title="Blocks" id="blocks-heading">
      <p className="text-sm text-slate-600">
        A block is a message the bot sends: text, with buttons or quick replies that can lead to other blocks.
      </p>
      {blocks.length === 0 && <p className="text-slate-600">No block yet: write the first message below.</p>}
      <ul aria-label="Blocks" className="space-y-2">
        {blocks.map((block) =>
          editing === block._id ? (
            <li key={block._id} aria-label={block.name}>
              <BlockEditor pageId={pageId} block={block} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li
              key={block._id}
              aria-label={block.name}
              className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 p-2"
            >
              <div className="min-w-48 flex-1 text-sm">
                <p className="font-medium">{block.name}</p>
                <p className="whitespace-pre-line text-slate-700">{block.content.text}</p>
                {block.content.quickReplies.length > 0 && (
                  <p className="text-slate-600">
                    Quick replies: {block.content.quickReplies.map((reply) => reply.title).join(' · ')}
                  </p>
                )}
                {block.content.buttons.length > 0 && (
                  <p className="text-slate-600">
                    Buttons: {block.content.buttons.map((button) => button.title).join(' · ')}
                  </p>
                )}
                <p className="text-xs text-slate-600">
                  {usedBy(block) === 0
                    ? 'No rule answers with it yet.'
                    : `Rules answering with it: ${usedBy(block)}`}
                </p>
              </div>
              <button type="button" onClick={() => setEditing(block._id)} className={secondaryButton}>
                Edit {block.name}
              </button>
              <button
                type="button"
                disabled={remove.isPending}
                onClick={() => remove.mutate(block._id)}
                className={secondaryButton}
              >
                Delete {block.name}
              </button>
            </li>
          ),
        )}
      </ul>
      <SaveIssues issues={issuesOf(remove.error)} fieldName={(path) => path} />
      {editing === 'new' ? (
        <BlockEditor pageId={pageId} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" onClick={() => setEditing('new')} className={secondaryButton}>
          New block
        </button>
      )}
    </Section>
  );
}

function BlockEditor({ pageId, block, onDone }: { pageId: string; block?: BotBlock; onDone(): void }) {
  const client = useQueryClient();
  const [name, setName] = useState(block?.name ?? '');
  const [content, setContent] = useState<AutomatedContent>(block?.content ?? emptyContent());
  const save = useMutation({
    mutationFn: () =>
      block
        ? api('PATCH', `/api/bot/blocks/${block._id}`, { name, content })
        : post('/api/bot/blocks', { page: pageId, name, content }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['bot'] });
      onDone();
    },
  });
  const issues = issuesOf(save.error);
  const contentIssues = issues
    .filter((issue) => issue.path.startsWith('content.'))
    .map((issue) => ({ ...issue, path: issue.path.slice('content.'.length) }));
  const id = block ? `block-${block._id}` : 'block-new';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      onSubmit={submit}
      aria-label={block ? `Edit ${block.name}` : 'New block'}
      className="space-y-3 rounded-md bg-slate-50 p-3"
    >
      <label className="flex flex-col gap-1 text-sm">
        Block name
        <input value={name} onChange={(event) => setName(event.target.value)} className={inputClass} />
      </label>
      <ContentEditor
        id={id}
        label="Message"
        value={content}
        onChange={setContent}
        saveIssues={contentIssues}
      />
      <SaveIssues
        issues={issues.filter((issue) => !issue.path.startsWith('content.'))}
        marked={contentIssues.length}
        fieldName={(path) => (path === 'name' ? 'Block name' : path)}
      />
      <div className="flex gap-2">
        <button type="submit" disabled={save.isPending} className={primaryButton}>
          Save the block
        </button>
        <button type="button" onClick={onDone} className={secondaryButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}
