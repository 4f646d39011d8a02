import { csvCell, csvRow } from '../../../server/compliance/csv';

describe('CSV cells of the audit export', () => {
  it.each([
    ['plain words stay as they are', 'bot.replied', 'bot.replied'],
    ['nothing is an empty cell', null, ''],
    ['a comma is quoted', 'Click, here', '"Click, here"'],
    ['a quote is doubled inside quotes', 'Sent "stop"', '"Sent ""stop"""'],
    ['a line break is quoted', 'two\nlines', '"two\nlines"'],
    ['= starts a formula: disarmed', '=1+2', "'=1+2"],
    ['+ starts a formula: disarmed', '+33 6 12', "'+33 6 12"],
    ['- starts a formula: disarmed', '-1', "'-1"],
    ['@ starts a formula: disarmed', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab is disarmed', '\t=1', "'\t=1"],
    ['a leading carriage return is disarmed and quoted', '\r=1', '"\'\r=1"'],
    ['disarmed and quoted together', '=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    ['a formula sign later in the cell is left alone', 'a=b', 'a=b'],
  ])('%s', (_case, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('a row ends with CRLF', () => {
    expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
  });
});
