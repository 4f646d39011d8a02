import { comparableText, findNearDuplicate, similarityOf } from '../../../server/x/duplicate-guard';

describe('the duplicate guard', () => {
  it.each([
    ['Fresh bread at 7!', 'fresh  bread at 7', 1],
    ['New rolls https://a.example/x today', 'New rolls https://b.example/y today', 1],
    ['Our cinnamon rolls are out at 8 every morning', 'Our cinnamon rolls are out at 9 every morning', 0.75],
    ['Croissants until noon', 'Bike repairs on Tuesday', 0],
    ['https://a.example/spring', 'https://a.example/spring', 1],
    ['https://a.example/spring', 'https://b.example/summer', 0],
  ])('“%s” and “%s” are %d similar', (a, b, expected) => {
    expect(similarityOf(comparableText(a), comparableText(b))).toBeCloseTo(expected, 2);
  });

  it('a post of nothing but links or punctuation still has something to compare on', () => {
    expect(comparableText(' https://A.example/x ')).toBe('https://a.example/x');
    expect(comparableText('!!!')).toBe('!!!');
  });

  it('answers the most similar earlier post at or above the threshold, or nothing', () => {
    const earlier = [
      { id: 'far', comparableText: comparableText('Bike repairs on Tuesday') },
      { id: 'near', comparableText: comparableText('Warm croissants until noon today') },
    ];
    expect(findNearDuplicate(comparableText('Warm croissants until noon'), earlier, 0.8)?.post.id).toBe(
      'near',
    );
    expect(findNearDuplicate(comparableText('Warm croissants until noon'), earlier, 0.95)).toBeNull();
  });
});
