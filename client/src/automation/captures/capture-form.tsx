import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useRecentPosts, type AutomatedContent, type Capture } from '../../api/automation';
import { api, post } from '../../api/http';
import { ContentEditor, emptyContent } from '../content-editor';
import { SaveIssues, inputClass, issuesOf, primaryButton, secondaryButton, words } from '../form-parts';
import { Section } from '../../layout/section';
import { targetWords } from './capture-words';

type TargetKind = Capture['target']['kind'];

const targetChoices: { kind: TargetKind; label: string }[] = [
  { kind: 'new_post', label: 'Publish a new post as the Page' },
  { kind: 'existing_post', label: 'A post the Page already published' },
  { kind: 'any_post', label: 'Any post of the Page' },
];

const fieldNames = (path: string) => {
  const [first] = path.split('.');
  const names: Record<string, string> = {
    active: 'Answering comments',
    name: 'Name',
    target: 'Post',
    includeKeywords: 'Only comments with',
    excludeKeywords: 'Never comments with',
    sensitiveWords: 'Sensitive words',
    privateReply: 'Private reply',
    publicReplies: 'Public replies',
    followUp: 'Follow-up',
  };
  return names[first ?? ''] ?? path;
};

const within = (prefix: string, issues: { path: string; message: string }[]) =>
  issues
    .filter((issue) => issue.path.startsWith(`${prefix}.`))
    .map((issue) => ({ ...issue, path: issue.path.slice(prefix.length + 1) }));

/**
 * A new capture (which post, which comments, what it answers privately, publicly and after the person writes), or
 * an existing `capture` whose words, replies and state change: its post stays, as the server keeps it.
 */
export function CaptureForm({
  pageId,
  capture,
  onDone,
}: {
  pageId: string;
  capture?: Capture;
  onDone(): void;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const posts = useRecentPosts(capture ? '' : pageId);
  const [name, setName] = useState(capture?.name ?? '');
  const [targetKind, setTargetKind] = useState<TargetKind>(capture?.target.kind ?? 'new_post');
  const [postMessage, setPostMessage] = useState('');
  const [postLink, setPostLink] = useState('');
  const [postId, setPostId] = useState('');
  const [include, setInclude] = useState(capture?.includeKeywords.join(', ') ?? '');
  const [exclude, setExclude] = useState(capture?.excludeKeywords.join(', ') ?? '');
  const [sensitive, setSensitive] = useState(capture?.sensitiveWords.join(', ') ?? '');
  const [privateReply, setPrivateReply] = useState<AutomatedContent>(capture?.privateReply ?? emptyContent());
  const [publicReplies, setPublicReplies] = useState(capture?.publicReplies.join('\n') ?? '');
  const [withFollowUp, setWithFollowUp] = useState(Boolean(capture?.followUp));
  const [followUp, setFollowUp] = useState<AutomatedContent>(capture?.followUp ?? emptyContent());
  const [onePerPerson, setOnePerPerson] = useState(capture?.onePerPersonPerPost ?? true);
  const [active, setActive] = useState(capture?.active ?? true);

  const target =
    targetKind === 'new_post'
      ? {
          kind: targetKind,
          post: { message: postMessage, ...(postLink.trim() ? { link: postLink.trim() } : {}) },
        }
      : targetKind === 'existing_post'
        ? { kind: targetKind, postId: postId || posts.data?.[0]?.id || '' }
        : { kind: targetKind };
  const save = useMutation({
    mutationFn: () => {
      const rules = {
        name,
        includeKeywords: words(include),
        excludeKeywords: words(exclude),
        sensitiveWords: sensitive.trim() ? words(sensitive) : null,
        privateReply,
        publicReplies: publicReplies
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        followUp: withFollowUp ? followUp : null,
        onePerPersonPerPost: onePerPerson,
        active,
      };
      return capture
        ? api<Capture>('PATCH', `/api/captures/${capture._id}`, rules)
        : post<Capture>('/api/captures', { page: pageId, target, ...rules });
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['captures'] });
      onDone();
      if (!capture) navigate(`/automation/captures/${saved._id}?page=${pageId}`);
    },
  });
  const issues = issuesOf(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const title = capture ? `Edit ${capture.name}` : 'New capture';

  return (
    <Section title={title} id={capture ? 'edit-capture-heading' : 'new-capture-heading'}>
      <form onSubmit={submit} aria-label={title} className="space-y-4">
        <label className="flex flex-col gap-1 text-sm">
          Name (for you; people never see it)
          <input value={name} onChange={(event) => setName(event.target.value)} className={inputClass} />
        </label>

        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium">Which post</legend>
          {capture && (
            <p className="text-sm text-slate-700">
              {targetWords(capture)} (a capture keeps its post; make a new capture for another one)
            </p>
          )}
          {!capture &&
            targetChoices.map((choice) => (
              <label key={choice.kind} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="target"
                  value={choice.kind}
                  checked={targetKind === choice.kind}
                  onChange={() => setTargetKind(choice.kind)}
                />
                {choice.label}
              </label>
            ))}
          {!capture && targetKind === 'new_post' && (
            <div className="space-y-2 pl-6">
              <label className="flex flex-col gap-1 text-sm">
                Post text
                <textarea
                  value={postMessage}
                  onChange={(event) => setPostMessage(event.target.value)}
                  rows={3}
                  className={inputClass}
                />
              </label>
              <label className="flex flex-col gap-1 text-sm">
                Link (optional)
                <input
                  value={postLink}
                  onChange={(event) => setPostLink(event.target.value)}
                  placeholder="https://…"
                  className={inputClass}
                />
              </label>
            </div>
          )}
          {!capture && targetKind === 'existing_post' && (
            <div className="pl-6">
              {posts.isPending && (
                <p className="text-sm text-slate-500">Asking Facebook for the Page’s posts…</p>
              )}
              {posts.isError && <p className="text-sm text-red-700">{posts.error.message}</p>}
              {posts.data?.length === 0 && (
                <p className="text-sm text-slate-600">The Page has no post yet.</p>
              )}
              {posts.data && posts.data.length > 0 && (
                <label className="flex flex-col gap-1 text-sm">
                  Post
                  <select
                    value={postId || posts.data[0]?.id}
                    onChange={(event) => setPostId(event.target.value)}
                    className={inputClass}
                  >
                    {posts.data.map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {new Date(candidate.createdAt).toLocaleDateString()} —{' '}
                        {candidate.message?.slice(0, 80) ?? '(no text)'}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
          )}
        </fieldset>

        <fieldset className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
          <legend className="px-1 text-sm font-medium">Which comments</legend>
          <label className="flex flex-col gap-1 text-sm">
            Only comments with one of these words (commas; empty for every comment)
            <input
              value={include}
              onChange={(event) => setInclude(event.target.value)}
              className={inputClass}
            />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Never comments with these words (commas)
            <input
              value={exclude}
              onChange={(event) => setExclude(event.target.value)}
              className={inputClass}
            />
          </label>
          <label className="flex flex-col gap-1 text-sm sm:col-span-2">
            Sensitive words that are never answered automatically (commas; empty for Pagewire’s list)
            <input
              value={sensitive}
              onChange={(event) => setSensitive(event.target.value)}
              className={inputClass}
            />
          </label>
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input
              type="checkbox"
              checked={onePerPerson}
              onChange={(event) => setOnePerPerson(event.target.checked)}
            />
            One reply per person per post
          </label>
          {capture && (
            <label className="flex items-center gap-2 text-sm sm:col-span-2">
              <input type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
              Answering comments (untick to pause the capture)
            </label>
          )}
        </fieldset>

        <ContentEditor
          id="private-reply"
          label="Private reply (one message to the commenter, within 7 days of the comment)"
          value={privateReply}
          onChange={setPrivateReply}
          saveIssues={within('privateReply', issues)}
        />
        <label className="flex flex-col gap-1 text-sm">
          Public replies under the comment (one per line, used in turn; empty for none)
          <textarea
            value={publicReplies}
            onChange={(event) => setPublicReplies(event.target.value)}
            rows={2}
            className={inputClass}
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={withFollowUp}
            onChange={(event) => setWithFollowUp(event.target.checked)}
          />
          Send a follow-up once the person answers the private reply
        </label>
        {withFollowUp && (
          <ContentEditor
            id="follow-up"
            label="Follow-up"
            value={followUp}
            onChange={setFollowUp}
            saveIssues={within('followUp', issues)}
          />
        )}
        <SaveIssues issues={issues} fieldName={fieldNames} />
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={save.isPending} className={primaryButton}>
            {capture
              ? 'Save the capture'
              : targetKind === 'new_post'
                ? 'Publish the post and start the capture'
                : 'Start the capture'}
          </button>
          <button type="button" onClick={onDone} className={secondaryButton}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}
