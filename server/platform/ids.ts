import { z } from 'zod';

/** Our documents' ids as the API prints them: 24 lower-case hex digits. */
export const objectIdString = z.string().regex(/^[0-9a-f]{24}$/u, 'expects an id');

/** Meta's ids for Pages, apps, people and users: digits only. */
export const metaIdString = z.string().regex(/^\d+$/u, 'expects a numeric Meta id');
