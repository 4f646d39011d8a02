import type { ReactNode } from 'react';
import {
  emptyButton,
  emptyCard,
  type ButtonForm,
  type CardForm,
  type ContentKind,
  type DraftForm,
} from './draft-form';
import { LimitedField, type Judged } from './limited-field';

const kinds: { kind: ContentKind; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'buttons', label: 'Text with buttons' },
  { kind: 'image', label: 'Image' },
  { kind: 'cards', label: 'Cards (carousel)' },
];

const smallButton =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

type Change = (change: Partial<DraftForm>) => void;

/** How many of a list Meta allows, from the server's count ("2/3"). */
function ItemCount({ path, judged }: { path: string; judged: Judged }) {
  const count = judged.countOf(path);
  const issue = judged.issueOf(path);
  if (!count) return null;
  return (
    <span className={`text-xs tabular-nums ${issue ? 'font-semibold text-red-700' : 'text-slate-600'}`}>
      {count.count}/{count.limit}
      {issue && <span className="ml-1">{issue}</span>}
    </span>
  );
}

function Group({ legend, children, extra }: { legend: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">
        {legend} {extra}
      </legend>
      {children}
    </fieldset>
  );
}

function ButtonsEditor({
  path,
  buttons,
  onChange,
  judged,
  owner,
}: {
  path: string;
  buttons: ButtonForm[];
  onChange(buttons: ButtonForm[]): void;
  judged: Judged;
  /** "Card 1, " for a card's buttons, so every label on the page is unique. */
  owner: string;
}) {
  const set = (i: number, change: Partial<ButtonForm>) =>
    onChange(buttons.map((button, j) => (j === i ? { ...button, ...change } : button)));
  return (
    <div className="space-y-2">
      {buttons.map((button, i) => (
        <div key={i} className="space-y-2 rounded-md bg-slate-50 p-2">
          <div className="flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-1 text-sm">
              {owner}Button {i + 1}
              <select
                aria-label={`${owner}Button ${i + 1} action`}
                value={button.type}
                onChange={(event) => set(i, { type: event.target.value as ButtonForm['type'] })}
                className="rounded-md border border-slate-300 bg-white px-1 py-0.5 text-sm"
              >
                <option value="web_url">opens a link</option>
                <option value="postback">replies to the Page</option>
              </select>
            </label>
            <button
              type="button"
              className={`${smallButton} ml-auto`}
              onClick={() => onChange(buttons.filter((_, j) => j !== i))}
            >
              Remove {owner.toLowerCase()}button {i + 1}
            </button>
          </div>
          <LimitedField
            label={`${owner}Button ${i + 1} title`}
            path={`${path}.${i}.title`}
            value={button.title}
            onChange={(title) => set(i, { title })}
            judged={judged}
          />
          {button.type === 'web_url' && (
            <LimitedField
              label={`${owner}Button ${i + 1} link`}
              path={`${path}.${i}.url`}
              type="url"
              placeholder="https://"
              value={button.url}
              onChange={(url) => set(i, { url })}
              judged={judged}
            />
          )}
        </div>
      ))}
      <button type="button" className={smallButton} onClick={() => onChange([...buttons, emptyButton()])}>
        Add {owner.toLowerCase()}button
      </button>
    </div>
  );
}

function CardsEditor({ cards, change, judged }: { cards: CardForm[]; change: Change; judged: Judged }) {
  const set = (i: number, card: Partial<CardForm>) =>
    change({ cards: cards.map((one, j) => (j === i ? { ...one, ...card } : one)) });
  return (
    <Group legend="Cards" extra={<ItemCount path="cards" judged={judged} />}>
      {cards.map((card, i) => (
        <div key={i} className="space-y-2 rounded-md border border-slate-200 p-2">
          <div className="flex items-center justify-between">
            <h4 className="text-sm font-semibold">Card {i + 1}</h4>
            <button
              type="button"
              className={smallButton}
              onClick={() => change({ cards: cards.filter((_, j) => j !== i) })}
            >
              Remove card {i + 1}
            </button>
          </div>
          <LimitedField
            label={`Card ${i + 1} title`}
            path={`cards.${i}.title`}
            value={card.title}
            onChange={(title) => set(i, { title })}
            judged={judged}
          />
          <LimitedField
            label={`Card ${i + 1} subtitle`}
            path={`cards.${i}.subtitle`}
            value={card.subtitle}
            onChange={(subtitle) => set(i, { subtitle })}
            judged={judged}
          />
          <LimitedField
            label={`Card ${i + 1} image address`}
            path={`cards.${i}.imageUrl`}
            type="url"
            placeholder="https://"
            value={card.imageUrl}
            onChange={(imageUrl) => set(i, { imageUrl })}
            judged={judged}
          />
          <p className="text-sm font-medium">
            Card {i + 1} buttons <ItemCount path={`cards.${i}.buttons`} judged={judged} />
          </p>
          <ButtonsEditor
            path={`cards.${i}.buttons`}
            owner={`Card ${i + 1} `}
            buttons={card.buttons}
            onChange={(buttons) => set(i, { buttons })}
            judged={judged}
          />
        </div>
      ))}
      <button
        type="button"
        className={smallButton}
        onClick={() => change({ cards: [...cards, emptyCard()] })}
      >
        Add card
      </button>
    </Group>
  );
}

function QuickRepliesEditor({
  titles,
  change,
  judged,
}: {
  titles: string[];
  change: Change;
  judged: Judged;
}) {
  return (
    <Group legend="Quick replies" extra={<ItemCount path="quickReplies" judged={judged} />}>
      <p className="text-sm text-slate-600">
        Buttons under the message that disappear once the person taps one; the tap opens the 24-hour window
        again.
      </p>
      {titles.map((title, i) => (
        <div key={i} className="flex items-end gap-2">
          <div className="flex-1">
            <LimitedField
              label={`Quick reply ${i + 1}`}
              path={`quickReplies.${i}.title`}
              value={title}
              onChange={(next) => change({ quickReplies: titles.map((one, j) => (j === i ? next : one)) })}
              judged={judged}
            />
          </div>
          <button
            type="button"
            className={smallButton}
            onClick={() => change({ quickReplies: titles.filter((_, j) => j !== i) })}
          >
            Remove quick reply {i + 1}
          </button>
        </div>
      ))}
      <button type="button" className={smallButton} onClick={() => change({ quickReplies: [...titles, ''] })}>
        Add quick reply
      </button>
    </Group>
  );
}

/** The message: its kind, its texts, buttons, image or cards, and quick replies, each limit counted as typed. */
export function MessageEditor({ form, change, judged }: { form: DraftForm; change: Change; judged: Judged }) {
  return (
    <div className="space-y-3">
      <fieldset>
        <legend className="mb-1 text-sm font-semibold">Kind of message</legend>
        <div className="flex flex-wrap gap-3">
          {kinds.map(({ kind, label }) => (
            <label key={kind} className="flex items-center gap-1 text-sm">
              <input
                type="radio"
                name="message-kind"
                checked={form.kind === kind}
                onChange={() => change({ kind })}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {(form.kind === 'text' || form.kind === 'buttons') && (
        <LimitedField
          label="Message text"
          path="text"
          multiline
          value={form.text}
          onChange={(text) => change({ text })}
          judged={judged}
        />
      )}
      {form.kind === 'buttons' && (
        <Group legend="Buttons" extra={<ItemCount path="buttons" judged={judged} />}>
          <ButtonsEditor
            path="buttons"
            owner=""
            buttons={form.buttons}
            onChange={(buttons) => change({ buttons })}
            judged={judged}
          />
        </Group>
      )}
      {form.kind === 'image' && (
        <LimitedField
          label="Image address"
          path="url"
          type="url"
          placeholder="https://"
          value={form.imageUrl}
          onChange={(imageUrl) => change({ imageUrl })}
          judged={judged}
        />
      )}
      {form.kind === 'cards' && <CardsEditor cards={form.cards} change={change} judged={judged} />}
      <QuickRepliesEditor titles={form.quickReplies} change={change} judged={judged} />
    </div>
  );
}
