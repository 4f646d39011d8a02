import { useBlocks, useRules } from '../../api/automation';
import { BlockList } from './block-list';
import { FlowGraph } from './flow-graph';
import { RuleList } from './rule-list';

/** The Page's bot: rules in the order it tries them, the blocks it answers with, and the flows they make. */
export function BotScreen({ pageId }: { pageId: string }) {
  const rules = useRules();
  const blocks = useBlocks();
  if (rules.isPending || blocks.isPending) return <p className="text-slate-500">Loading…</p>;
  if (rules.isError) return <p className="text-red-700">{rules.error.message}</p>;
  if (blocks.isError) return <p className="text-red-700">{blocks.error.message}</p>;
  const pageRules = rules.data.filter((rule) => rule.page === pageId);
  const pageBlocks = blocks.data.filter((block) => block.page === pageId);
  return (
    <div className="space-y-5">
      <BlockList pageId={pageId} blocks={pageBlocks} rules={pageRules} />
      <RuleList pageId={pageId} rules={pageRules} blocks={pageBlocks} />
      <FlowGraph pageId={pageId} rules={pageRules} />
    </div>
  );
}
