import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './http';

export interface PhoneInvitation {
  id: string;
  pageId: string;
  phoneNumber: string;
  status: 'queued' | 'sending' | 'sent' | 'refused' | 'failed';
  reason: string | null;
  consent: { attestedBy: string; attestedAt: string; statement: string };
  sentAt: string | null;
  createdAt: string;
}

export interface UploadLine {
  line: number;
  input: string;
  phoneNumber?: string;
  outcome: 'queued' | 'invalid' | 'already_invited' | 'repeated_in_upload';
  reason?: string;
}

export interface UploadResult {
  uploadId: string;
  queued: number;
  lines: UploadLine[];
}

const key = (pageId: string) => ['phone-invites', pageId];

/** A Page's invitations; polled while any is still on its way. */
export function usePhoneInvitations(pageId: string) {
  return useQuery({
    queryKey: key(pageId),
    enabled: pageId !== '',
    queryFn: async () =>
      (await get<{ data: PhoneInvitation[] }>(`/api/phone-invites?pageId=${encodeURIComponent(pageId)}`))
        .data,
    refetchInterval: (query) =>
      query.state.data?.some((invitation) => ['queued', 'sending'].includes(invitation.status))
        ? 1000
        : false,
  });
}

export function useUploadPhoneNumbers(pageId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (upload: { numbers: string; message: string; consentAttested: boolean }) =>
      post<UploadResult>('/api/phone-invites', { pageId, ...upload }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(pageId) }),
  });
}
