import { containsAnyKeyword, matchesKeywords, type KeywordMode } from '../../bots/text-matching';

describe('keyword matching', () => {
  it.each<[string, string, KeywordMode, string[], boolean]>([
    ['exact matches the whole message', 'Hours?', 'exact', ['hours'], true],
    ['exact ignores case and accents', 'PRÎX', 'exact', ['prix'], true],
    ['exact refuses a longer message', 'what are your hours', 'exact', ['hours'], false],
    ['exact accepts a phrase keyword', 'Opening  hours!', 'exact', ['opening hours'], true],
    ['contains finds a whole word', 'what are your hours?', 'contains', ['hours'], true],
    ['contains refuses part of a word', 'a party', 'contains', ['art'], false],
    ['contains finds a phrase in order', 'tell me the opening hours', 'contains', ['opening hours'], true],
    ['contains refuses a phrase out of order', 'hours opening', 'contains', ['opening hours'], false],
    ['any_of finds one of several words', 'do you deliver?', 'any_of', ['shipping', 'deliver'], true],
    ['any_of splits phrases into words', 'delivery price', 'any_of', ['price list'], true],
    ['any_of refuses when no word is there', 'hello there', 'any_of', ['price', 'cost'], false],
    ['an empty message matches nothing', '  !! ', 'any_of', ['price'], false],
    ['emoji and punctuation separate words', 'price😍?', 'contains', ['price'], true],
  ])('%s', (_name, text, mode, keywords, expected) => {
    expect(matchesKeywords(text, mode, keywords)).toBe(expected);
  });

  it.each<[string, string[], boolean]>([
    ['Je veux le PRIX', ['prix'], true],
    ['Où est la boutique ?', ['ou'], true],
    ['un cadeau surprise', ['cadeau', 'promo'], true],
    ['pricey', ['price'], false],
  ])('capture keywords are whole words: "%s"', (text, keywords, expected) => {
    expect(containsAnyKeyword(text, keywords)).toBe(expected);
  });
});
