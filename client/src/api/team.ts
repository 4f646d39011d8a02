import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, forgetCsrfToken, get, post } from './http';
import type { CreatedInvitation, Member, MemberPage, PendingInvitation, WorkspaceView } from './types';

/** The members in join order and the roles the server lets a member have. */
export function useTeamMembers() {
  return useQuery({
    queryKey: ['members', 'team'],
    queryFn: () => get<{ data: Member[]; roles: string[] }>('/api/members'),
  });
}

/** The Pages a member sees, as the server decides it for every route. */
export function useMemberPages(userId: string) {
  return useQuery({
    queryKey: ['members', 'pages', userId],
    queryFn: async () => (await get<{ data: MemberPage[] }>(`/api/members/${userId}/pages`)).data,
  });
}

/** A role or team change moves what members see, so every members query and the team sizes are read again. */
export function useChangeMember(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { role?: string; teamIds?: string[] }) =>
      api('PATCH', `/api/members/${userId}`, change),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['members'] });
      await client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
}

export function useRemoveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api('DELETE', `/api/members/${userId}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['members'] });
      await client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
}

export function usePendingInvitations() {
  return useQuery({
    queryKey: ['invitations'],
    queryFn: async () => (await get<{ data: PendingInvitation[] }>('/api/invitations')).data,
  });
}

export function useCreateInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (role: string) => post<CreatedInvitation>('/api/invitations', { role }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['invitations'] }),
  });
}

export function useRevokeInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/invitations/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['invitations'] }),
  });
}

export function useWorkspaces() {
  return useQuery({
    queryKey: ['workspaces'],
    queryFn: async () => (await get<{ data: WorkspaceView[] }>('/api/workspaces')).data,
    staleTime: 5 * 60_000,
  });
}

/** The server starts a new session in the other workspace; the caller then starts the dashboard afresh. */
export async function switchWorkspace(workspaceId: string): Promise<void> {
  await post('/api/session/workspace', { workspaceId });
  forgetCsrfToken();
}
