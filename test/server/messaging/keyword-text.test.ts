import { asKeyword, foldCaseAndAccents } from '../../../server/messaging/keyword-text';
import { keywordIntent } from '../../../server/subscribers/opt-out-words';

const lists = { optOutWords: ['stop', 'stop all', 'unsubscribe'], optInWords: ['start'] };

describe('keywords are compared the same everywhere', () => {
  it('ignores case and accents', () => {
    expect(foldCaseAndAccents('Crème BRÛLÉE')).toBe('creme brulee');
  });

  it.each([
    ['stöp', 'stop'],
    ['STOP ', 'stop'],
    ['Stop!', 'stop'],
    ['  Stop   all... ', 'stop all'],
    ['¿Unsubscribe?', 'unsubscribe'],
  ])('"%s" is the keyword "%s"', (text, keyword) => {
    expect(asKeyword(text)).toBe(keyword);
  });

  it.each<[string | undefined, ReturnType<typeof keywordIntent>]>([
    ['stöp', 'opt_out'],
    ['STOP ', 'opt_out'],
    ['Stop!', 'opt_out'],
    ['stop ALL', 'opt_out'],
    ['Stárt', 'opt_in'],
    ["don't stop the order", null],
    ['stopped', null],
    ['!!', null],
    [undefined, null],
  ])('"%s" alone reads as %s', (text, intent) => {
    expect(keywordIntent(text, lists)).toBe(intent);
  });
});
