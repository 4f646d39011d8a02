/**
 * Reading an upload of phone numbers: one number per line, or the first column of a CSV. A number is written in E.164
 * (`+` and the country code); one without a country code is read as a North American number when it has 10 digits
 * (or 11 starting with 1), the only numbers Meta's phone-number invitations reach.
 */
export type UploadLine =
  { line: number; input: string; phoneNumber: string } | { line: number; input: string; invalid: string };

const maxE164Digits = 15;
const minE164Digits = 8;

export function normalisePhoneNumber(input: string): string | { invalid: string } {
  const compact = input.replace(/[\s().\-/]/g, '');
  const international = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : null;
  if (international !== null) {
    if (!/^\d+$/.test(international)) return { invalid: 'Only digits may follow the +.' };
    if (international.startsWith('0')) return { invalid: 'A country code never starts with 0.' };
    if (international.length < minE164Digits || international.length > maxE164Digits) {
      return { invalid: `An international number has ${minE164Digits} to ${maxE164Digits} digits.` };
    }
    return `+${international}`;
  }
  if (!/^\d+$/.test(compact)) return { invalid: 'Not a phone number.' };
  const national = compact.length === 11 && compact.startsWith('1') ? compact.slice(1) : compact;
  // North American numbers: area code and exchange both start with 2–9.
  if (national.length === 10 && /^[2-9]\d{2}[2-9]\d{6}$/.test(national)) return `+1${national}`;
  return { invalid: 'Without a + and country code, only a 10-digit US number is understood.' };
}

/** Each non-empty line of the upload, read; a first line without any digit is taken for a CSV header and skipped. */
export function readUpload(text: string): UploadLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  return lines.flatMap((raw, index) => {
    const input = (raw.split(/[,;\t]/)[0] ?? '').replace(/^"|"$/g, '').trim();
    if (input === '') return [];
    if (index === 0 && !/\d/.test(input)) return [];
    const read = normalisePhoneNumber(input);
    return [
      typeof read === 'string'
        ? { line: index + 1, input, phoneNumber: read }
        : { line: index + 1, input, ...read },
    ];
  });
}
