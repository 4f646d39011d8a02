import type { MessageContent } from '../api/broadcasts';
import type { Button } from '../api/types';

/**
 * The message as a person sees it in Messenger: the Page's bubble on the left, buttons under their text or card,
 * cards side by side, quick replies as pills under the last bubble. Drawn from the form as it is typed.
 */
export function MessengerPreview({ content, pageName }: { content: MessageContent; pageName: string }) {
  return (
    <section
      aria-label="Preview in Messenger"
      className="rounded-2xl border border-slate-200 bg-white p-3 shadow-sm"
    >
      <p className="mb-2 border-b border-slate-100 pb-2 text-center text-sm font-semibold">{pageName}</p>
      <div className="flex items-end gap-2">
        <span aria-hidden="true" className="mb-1 h-7 w-7 shrink-0 rounded-full bg-brand-600" />
        <div className="min-w-0 flex-1">
          <Body content={content} />
        </div>
      </div>
      {content.quickReplies && content.quickReplies.length > 0 && (
        <ul aria-label="Quick replies in the preview" className="mt-3 flex flex-wrap justify-end gap-1.5">
          {content.quickReplies.map((reply, i) => (
            <li key={i} className="rounded-full border border-brand-600 px-3 py-1 text-sm text-brand-700">
              {reply.title || '…'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const bubble =
  'inline-block max-w-full rounded-2xl bg-slate-100 px-3 py-2 text-sm whitespace-pre-wrap break-words';

function Buttons({ buttons }: { buttons: Button[] }) {
  return (
    <ul className="divide-y divide-slate-200 border-t border-slate-200">
      {buttons.map((button, i) => (
        <li key={i} className="px-3 py-2 text-center text-sm font-semibold text-brand-700">
          {button.title || '…'}
        </li>
      ))}
    </ul>
  );
}

function Body({ content }: { content: MessageContent }) {
  switch (content.type) {
    case 'text':
      return <p className={bubble}>{content.text || '…'}</p>;
    case 'buttons':
      return (
        <div className="max-w-xs overflow-hidden rounded-2xl border border-slate-200">
          <p className="bg-slate-100 px-3 py-2 text-sm whitespace-pre-wrap break-words">
            {content.text || '…'}
          </p>
          <Buttons buttons={content.buttons} />
        </div>
      );
    case 'image':
      return content.url ? (
        <img src={content.url} alt="The image of the message" className="max-h-60 max-w-full rounded-2xl" />
      ) : (
        <p className={bubble}>No image yet</p>
      );
    case 'cards':
      return (
        // Focusable, so the cards that do not fit can be scrolled to from the keyboard.
        <ul tabIndex={0} aria-label="Cards in the preview" className="flex snap-x gap-2 overflow-x-auto pb-1">
          {content.cards.map((card, i) => (
            <li
              key={i}
              className="w-56 shrink-0 snap-start overflow-hidden rounded-2xl border border-slate-200 bg-white"
            >
              {card.imageUrl ? (
                <img
                  src={card.imageUrl}
                  alt={`Image of card ${i + 1}`}
                  className="aspect-[1.91] w-full object-cover"
                />
              ) : (
                <div aria-hidden="true" className="aspect-[1.91] w-full bg-slate-200" />
              )}
              <div className="px-3 py-2">
                <p className="text-sm font-semibold break-words">{card.title || '…'}</p>
                {card.subtitle && <p className="text-xs break-words text-slate-600">{card.subtitle}</p>}
              </div>
              {card.buttons && <Buttons buttons={card.buttons} />}
            </li>
          ))}
        </ul>
      );
  }
}
