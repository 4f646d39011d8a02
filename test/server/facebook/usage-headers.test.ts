import { parsePageUsages, regainAccessMsFrom } from '../../../server/facebook/usage-headers';

const headers = {
  'x-business-use-case-usage': JSON.stringify({
    '111': [
      {
        type: 'messenger',
        call_count: 80,
        total_cputime: 20,
        total_time: 35,
        estimated_time_to_regain_access: 0,
      },
      { type: 'pages', call_count: 10, total_cputime: 5, total_time: 5, estimated_time_to_regain_access: 3 },
    ],
    '222': [
      {
        type: 'messenger',
        call_count: 5,
        total_cputime: 1,
        total_time: 2,
        estimated_time_to_regain_access: 0,
      },
    ],
  }),
  'x-app-usage': JSON.stringify({ call_count: 28, total_time: 25, total_cputime: 90 }),
};

describe('reading the usage headers', () => {
  test('each Page in x-business-use-case-usage gets its highest percentage, app usage included', () => {
    const usages = parsePageUsages(headers);
    expect(usages.get('111')).toMatchObject({ highestPercent: 90, regainAccessMs: 180_000 });
    expect(usages.get('222')).toMatchObject({ highestPercent: 90, regainAccessMs: 0 });
    expect(usages.get('111')?.businessUseCases).toEqual([
      { type: 'messenger', callCount: 80, totalCputime: 20, totalTime: 35, regainAccessMs: 0 },
      { type: 'pages', callCount: 10, totalCputime: 5, totalTime: 5, regainAccessMs: 180_000 },
    ]);
    expect(usages.get('111')?.app).toEqual({ callCount: 28, totalTime: 25, totalCputime: 90 });
  });

  test('the Page a call was made for gets the app usage even when Meta sent no business use case header', () => {
    const usages = parsePageUsages({ 'x-app-usage': headers['x-app-usage'] }, '333');
    expect(usages.get('333')).toMatchObject({ highestPercent: 90, regainAccessMs: 0, businessUseCases: [] });
  });

  test('a missing or malformed header is no usage, never an error', () => {
    expect(parsePageUsages({}).size).toBe(0);
    expect(
      parsePageUsages({ 'x-business-use-case-usage': '{not json', 'x-app-usage': '[1]' }, '1').size,
    ).toBe(0);
  });

  test('the regain time is read for the named Page, else the longest announced', () => {
    expect(regainAccessMsFrom(headers, '222')).toBe(0);
    expect(regainAccessMsFrom(headers, '999')).toBe(180_000);
    expect(regainAccessMsFrom({})).toBe(0);
  });
});
