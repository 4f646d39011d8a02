import type { Seed } from '../../simulator/index';

/**
 * Two admins in two workspaces-to-be, an agent to invite, and Pages: Alice manages 2001 and 2002, Bob manages 3001.
 * Facebook user ids: alice 1001, bob 1002, carol (agent) 1003, dave (second agent) 1004.
 */
export const tenancySeed: Seed = {
  users: [
    { id: '1001', name: 'Alice Admin', email: 'alice@example.com' },
    { id: '1002', name: 'Bob Other', email: 'bob@example.com' },
    { id: '1003', name: 'Carol Agent', email: 'carol@example.com' },
    { id: '1004', name: 'Dave Agent', email: 'dave@example.com' },
  ],
  pages: [
    { id: '2001', name: 'Alice Shoes', adminUserIds: ['1001'] },
    { id: '2002', name: 'Alice Hats', adminUserIds: ['1001'] },
    { id: '3001', name: 'Bob Bikes', adminUserIds: ['1002'] },
  ],
};
