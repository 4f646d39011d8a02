import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useRecentPosts, type AutomatedContent, type Capture } from '../../api/automation';
import { post } from '../../api/http';
import { ContentEditor, emptyContent } from '../content-editor';
import { SaveIssues, inputClass, issuesOf, primaryButton, secondaryButton, words } from '../form-parts';
import { Section } from '../../layout/section';

type TargetKind = Capture['target']['kind'];

const targetChoices: { kind: TargetKind; label: string }[] = [
  { kind: 'new_post', label: 'Publish a new post as the Page' },
  { kind: 'existing_post', label: 'A post the Page already published' },
  { kind: 'any_post', label: 'Any post of the Page' },
];

const fieldNames = (path: string) => {
  const [first] = path.split('.');
  const names: Record<string, string> = {
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

const inContent = (path: string) => /^(privateReply|followUp)\./.test(path);

/** A new capture: which post, which comments, what it answers privately, publicly and after the person writes. */
export function CaptureForm({ pageId, onDone }: { pageId: string; onDone(): void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const posts = useRecentPosts(pageId);
  const [name, setName] = useState('');
  const [targetKind, setTargetKind] = useState<TargetKind>('new_post');
  const [postMessage, setPostMessage] = useState('');
  const [postLink, setPostLink] = useState('');
  const [postId, setPostId] = useState('');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [sensitive, setSensitive] = useState('');
  const [privateReply, setPrivateReply] = useState<AutomatedContent>(emptyContent());
  const [publicReplies, setPublicReplies] = useState('');
  const [withFollowUp, setWithFollowUp] = useState(false);
  const [followUp, setFollowUp] = useState<AutomatedContent>(emptyContent());
  const [onePerPerson, setOnePerPerson] = useState(true);

  const target =
    targetKind === 'new_post'
      ? {
          kind: targetKind,
          post: { message: postMessage, ...(postLink.trim() ? { link: postLink.trim() } : {}) },
        }
      : targetKind === 'existing_post'
        ? { kind: targetKind, postId: postId || posts.data?.[0]?.id || '' }
        : { kind: targetKind };
  const create = useMutation({
    mutationFn: () =>
      post<Capture>('/api/captures', {
        page: pageId,
        name,
        target,
        includeKeywords: words(include),
        excludeKeywords: words(exclude),
        ...(sensitive.trim() ? { sensitiveWords: words(sensitive) } : {}),
        privateReply,
        publicReplies: publicReplies
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        followUp: withFollowUp ? followUp : null,
        onePerPersonPerPost: onePerPerson,
      }),
    onSuccess: async (capture) => {
      await client.invalidateQueries({ queryKey: ['captures'] });
      onDone();
      navigate(`/automation/captures/${capture._id}?page=${pageId}`);
    },
  });
  const issues = issuesOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Section title="New capture" id="new-capture-heading">
      <form onSubmit={submit} aria-label="New capture" className="space-y-4">
        <label className="flex flex-col gap-1 text-sm">
          Name (for you; people never see it)
          <input value={name} onChange={(event) => setName(event.target.value)} className={inputClass} />
        </label>

        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium">Which post</legend>
          {targetChoices.map((choice) => (
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
          {targetKind === 'new_post' && (
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
          {targetKind === 'existing_post' && (
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
        <SaveIssues
          issues={issues.filter((issue) => !inContent(issue.path))}
          marked={issues.filter((issue) => inContent(issue.path)).length}
          fieldName={fieldNames}
        />
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={create.isPending} className={primaryButton}>
            {targetKind === 'new_post' ? 'Publish the post and start the capture' : 'Start the capture'}
          </button>
          <button type="button" onClick={onDone} className={secondaryButton}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}
