import { Types, isValidObjectId } from 'mongoose';
import { PageModel } from '../models/page';
import type { Member } from '../server/accounts/authorization';
import { visiblePageIds } from '../server/accounts/authorization';
import { NotFound } from '../server/platform/errors';

/** A Page of the member's workspace that they may see; NotFound otherwise, so other workspaces' ids reveal nothing. */
export async function visiblePage(member: Member, pageId: string) {
  const visible = await visiblePageIds(member.workspaceId, member);
  if (!isValidObjectId(pageId) || !visible.includes(pageId)) throw new NotFound('No such Page.');
  const page = await PageModel.findOne({ _id: pageId, workspace: member.workspaceId }).lean();
  if (!page) throw new NotFound('No such Page.');
  return page;
}

/** The filter every list and lookup of Page-scoped bot data starts from: this workspace, Pages the member sees. */
export async function scopeFor(member: Member) {
  const pages = await visiblePageIds(member.workspaceId, member);
  return {
    workspace: new Types.ObjectId(member.workspaceId),
    page: { $in: pages.map((id) => new Types.ObjectId(id)) },
  };
}

export function asObjectId(id: string, what: string): Types.ObjectId {
  if (!isValidObjectId(id)) throw new NotFound(`No such ${what}.`);
  return new Types.ObjectId(id);
}
