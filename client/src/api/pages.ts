import { useQuery } from '@tanstack/react-query';
import { get } from './http';
import type { PageView } from './types';

/** The Pages this member sees: the Pages screen and the inbox's Page filter share one cached list. */
export function usePages() {
  return useQuery({
    queryKey: ['pages'],
    queryFn: async () => (await get<{ data: PageView[] }>('/api/pages')).data,
  });
}
