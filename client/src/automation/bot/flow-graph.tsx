import type { BotFlow, BotRule } from '../../api/automation';
import { useFlow } from '../../api/automation';
import { Section } from '../../layout/section';
import { shortWords } from './rule-words';

const NODE_WIDTH = 160;
const NODE_HEIGHT = 36;
const COLUMN_GAP = 90;
const ROW_GAP = 22;

interface Node {
  key: string;
  label: string;
  column: number;
  row: number;
  tone: 'entry' | 'block' | 'end';
}

interface Edge {
  from: string;
  to: string;
  label?: string;
}

const clip = (text: string, max = 22) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Columns by how far into a conversation a block comes: a block a quick reply leads to stands right of the block
 * the quick reply is on (the longest way in counts; a loop back is drawn as a curve above).
 */
function layout(flow: BotFlow, rules: BotRule[]): { nodes: Node[]; edges: Edge[] } {
  const ruleOf = new Map(rules.map((rule) => [rule._id, rule]));
  const blockName = new Map(flow.blocks.map((block) => [block.id, block.name]));
  const depth = new Map(flow.blocks.map((block) => [block.id, 1]));
  for (let pass = 0; pass < flow.blocks.length; pass += 1) {
    for (const link of flow.links) {
      if (!link.to || link.to === link.from) continue;
      const further = (depth.get(link.from) ?? 1) + 1;
      if (further > (depth.get(link.to) ?? 1) && further <= flow.blocks.length) depth.set(link.to, further);
    }
  }

  const rows = new Map<number, number>();
  const place = (column: number) => {
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return row;
  };
  const nodes: Node[] = flow.entries.map((entry, index) => ({
    key: `rule:${entry.ruleId}`,
    label: `${index + 1}. ${shortWords(ruleOf.get(entry.ruleId) ?? { kind: entry.kind, keywords: [], payloads: [] })}`,
    column: 0,
    row: place(0),
    tone: 'entry',
  }));
  for (const block of flow.blocks) {
    const column = depth.get(block.id) ?? 1;
    nodes.push({
      key: `block:${block.id}`,
      label: blockName.get(block.id) ?? '',
      column,
      row: place(column),
      tone: 'block',
    });
  }
  const edges: Edge[] = flow.entries.flatMap((entry) =>
    entry.blockId
      ? [{ from: `rule:${entry.ruleId}`, to: `block:${entry.blockId}` }]
      : [{ from: `rule:${entry.ruleId}`, to: 'end:human' }],
  );
  for (const link of flow.links) {
    const to = link.to ? `block:${link.to}` : link.handsOver ? 'end:human' : 'end:nothing';
    edges.push({ from: `block:${link.from}`, to, label: link.title });
  }
  const lastColumn = Math.max(0, ...nodes.map((node) => node.column)) + 1;
  if (edges.some((edge) => edge.to === 'end:human'))
    nodes.push({
      key: 'end:human',
      label: 'Hand over to the team',
      column: lastColumn,
      row: place(lastColumn),
      tone: 'end',
    });
  if (edges.some((edge) => edge.to === 'end:nothing'))
    nodes.push({
      key: 'end:nothing',
      label: 'No rule answers',
      column: lastColumn,
      row: place(lastColumn),
      tone: 'end',
    });
  return { nodes, edges };
}

const toneClass = {
  entry: 'fill-slate-100 stroke-slate-400',
  block: 'fill-brand-50 stroke-brand-600',
  end: 'fill-amber-50 stroke-amber-600',
};

/** The bot's flows drawn as the server found them (GET /api/bot/flow/:pageId), with the same in words below. */
export function FlowGraph({ pageId, rules }: { pageId: string; rules: BotRule[] }) {
  const flow = useFlow(pageId);
  if (flow.isPending)
    return (
      <Section title="Flows" id="flows-heading">
        <p className="text-slate-500">Loading…</p>
      </Section>
    );
  if (flow.isError)
    return (
      <Section title="Flows" id="flows-heading">
        <p className="text-red-700">{flow.error.message}</p>
      </Section>
    );
  const { nodes, edges } = layout(flow.data, rules);
  const at = new Map(nodes.map((node) => [node.key, node]));
  const x = (node: Node) => 8 + node.column * (NODE_WIDTH + COLUMN_GAP);
  const y = (node: Node) => 8 + node.row * (NODE_HEIGHT + ROW_GAP);
  const width = Math.max(...nodes.map((node) => x(node) + NODE_WIDTH), NODE_WIDTH) + 8;
  const bottom = Math.max(...nodes.map((node) => y(node) + NODE_HEIGHT), NODE_HEIGHT);
  // An edge to the next column is a plain curve; one that skips columns or goes back passes under the nodes.
  const detours = (edge: Edge) => {
    const from = at.get(edge.from);
    const to = at.get(edge.to);
    return !!from && !!to && to.column - from.column !== 1;
  };
  const height = bottom + (edges.some(detours) ? 44 : 8);
  const blockName = new Map(flow.data.blocks.map((block) => [block.id, block.name]));

  return (
    <Section title="Flows" id="flows-heading">
      {nodes.length === 0 ? (
        <p className="text-slate-600">Rules and blocks appear here as a graph once there are some.</p>
      ) : (
        <figure className="space-y-2">
          {/* Focusable, so a keyboard can scroll a graph wider than the screen. */}
          <div className="overflow-x-auto" tabIndex={0} role="group" aria-label="Flow graph">
            <svg
              role="img"
              aria-label="The bot’s flows: rules lead to blocks, quick replies and buttons lead on"
              width={width}
              height={height}
              viewBox={`0 0 ${width} ${height}`}
              className="text-xs"
            >
              <defs>
                <marker
                  id="arrow"
                  viewBox="0 0 10 10"
                  refX="10"
                  refY="5"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto"
                >
                  <path d="M0,0 L10,5 L0,10 z" className="fill-slate-500" />
                </marker>
              </defs>
              {edges.map((edge, index) => {
                const from = at.get(edge.from);
                const to = at.get(edge.to);
                if (!from || !to) return null;
                const x1 = x(from) + NODE_WIDTH;
                const y1 = y(from) + NODE_HEIGHT / 2;
                const x2 = x(to);
                const y2 = y(to) + NODE_HEIGHT / 2;
                const under = bottom + 30;
                const path = detours(edge)
                  ? `M${x1},${y1} C${x1 + 50},${under} ${x2 - 50},${under} ${x2},${y2}`
                  : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
                const labelY = detours(edge) ? under - 2 : (y1 + y2) / 2 - 4;
                return (
                  <g key={index}>
                    <path d={path} fill="none" className="stroke-slate-500" markerEnd="url(#arrow)" />
                    {edge.label && (
                      <text x={(x1 + x2) / 2} y={labelY} textAnchor="middle" className="fill-slate-800">
                        {clip(edge.label, 16)}
                      </text>
                    )}
                  </g>
                );
              })}
              {nodes.map((node) => (
                <g key={node.key}>
                  <rect
                    x={x(node)}
                    y={y(node)}
                    width={NODE_WIDTH}
                    height={NODE_HEIGHT}
                    rx={6}
                    className={toneClass[node.tone]}
                  />
                  <text x={x(node) + 8} y={y(node) + NODE_HEIGHT / 2 + 4} className="fill-slate-900">
                    <title>{node.label}</title>
                    {clip(node.label)}
                  </text>
                </g>
              ))}
            </svg>
          </div>
          <figcaption className="text-sm text-slate-700">
            <p className="font-medium">Where each quick reply and button leads</p>
            {flow.data.links.length === 0 ? (
              <p>No block has quick replies or postback buttons yet.</p>
            ) : (
              <ul aria-label="Where each quick reply and button leads" className="list-disc pl-5">
                {flow.data.links.map((link, index) => (
                  <li key={index}>
                    {blockName.get(link.from)} → {link.via === 'quick_reply' ? 'quick reply' : 'button'} “
                    {link.title}” →{' '}
                    {link.to
                      ? blockName.get(link.to)
                      : link.handsOver
                        ? 'hands over to the team'
                        : 'no rule answers it'}
                  </li>
                ))}
              </ul>
            )}
          </figcaption>
        </figure>
      )}
    </Section>
  );
}
