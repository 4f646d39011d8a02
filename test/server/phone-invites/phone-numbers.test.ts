import { normalisePhoneNumber, readUpload } from '../../../server/phone-invites/phone-numbers';

describe('reading uploaded phone numbers', () => {
  it.each([
    ['+1 (212) 555-2368', '+12125552368'],
    ['(212) 555-2368', '+12125552368'],
    ['1-212-555-2368', '+12125552368'],
    ['212.555.2368', '+12125552368'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s is %s in E.164', (input, expected) => {
    expect(normalisePhoneNumber(input)).toBe(expected);
  });

  it.each(['hello', '12', '+0 212 555 2368', '+1 212 555 23x8', '112 555 2368', '+1234567890123456'])(
    '%s is refused with a reason',
    (input) => {
      expect(normalisePhoneNumber(input)).toEqual({ invalid: expect.any(String) });
    },
  );

  it('reads the first column of a CSV, skips a header and blank lines, and numbers lines as the file does', () => {
    expect(readUpload('phone,name\n\n"(212) 555-2368",Ann\r\nnope,Ben\n')).toEqual([
      { line: 3, input: '(212) 555-2368', phoneNumber: '+12125552368' },
      { line: 4, input: 'nope', invalid: expect.any(String) },
    ]);
  });
});
