import { useQuery } from '@tanstack/react-query';
import { ApiError, get } from './http';
import type { Me, Member, Team } from './types';

/** Who is logged in; null when nobody is (the shell then sends the browser to /login). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await get<Me>('/api/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** The workspace's members by id, for names on claims, assignments and agents' messages. */
export function useMembers() {
  return useQuery({
    queryKey: ['members'],
    queryFn: async () => {
      const { data } = await get<{ data: Member[] }>('/api/members');
      return new Map(data.map((member) => [member.userId, member]));
    },
    staleTime: 5 * 60_000,
  });
}

/** The workspace's teams (a team exists once a member is in it), for sharing a Page with one. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await get<{ data: Team[] }>('/api/teams')).data,
  });
}

/** GET /api/sandbox: before login only `enabled`; with a session the simulated world too. */
export interface SandboxInfo {
  enabled: boolean;
  now?: string;
  people?: { id: string; name: string }[];
  pages?: { id: string; name: string }[];
  posts?: { id: string; pageId: string; message: string | null; createdAt: string }[];
}

/** Whether Meta is played by the simulator (the sandbox): then the sign-in page says so and the sandbox panel shows. */
export function useSandbox() {
  const me = useMe();
  return useQuery({
    queryKey: ['sandbox', me.data?.user.id ?? null],
    queryFn: async () => {
      try {
        return await get<SandboxInfo>('/api/sandbox');
      } catch {
        return { enabled: false } satisfies SandboxInfo;
      }
    },
    staleTime: Infinity,
  });
}
