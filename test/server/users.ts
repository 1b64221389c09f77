import { createHash, timingSafeEqual } from 'node:crypto';

/** A seeded account of the reference server. Passwords are demo strings, printed on purpose. */
export interface DemoUser {
  id: string;
  username: string;
  password: string;
  displayName: string;
  email: string;
  roles: string[];
}

/** The user shape of PROTOCOL.md §2, as the server sends it. */
export interface PublicUser {
  id: string;
  username: string;
  email: string;
  displayName: string;
  roles: string[];
}

export const demoUsers: ReadonlyArray<DemoUser> = Object.freeze([
  { id: 'usr_alice', username: 'alice', password: 'alice-password', displayName: 'Alice Developer', email: 'alice@example.com', roles: ['developer'] },
  { id: 'usr_bob', username: 'bob', password: 'bob-password', displayName: 'Bob Admin', email: 'bob@example.com', roles: ['admin'] },
  // A user who may sign in but whose roles do not allow managing API keys: the one natural
  // "403 after authentication succeeds" of the contract.
  { id: 'usr_carol', username: 'carol', password: 'carol-password', displayName: 'Carol Viewer', email: 'carol@example.com', roles: ['viewer'] },
].map((user) => Object.freeze(user)));

const keyManagingRoles = new Set(['developer', 'admin']);

export function mayManageApiKeys(user: DemoUser): boolean {
  return user.roles.some((role) => keyManagingRoles.has(role));
}

export function findUserByUsername(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username);
}

export function findUserById(id: string): DemoUser | undefined {
  return demoUsers.find((user) => user.id === id);
}

export function publicUser(user: DemoUser): PublicUser {
  return { id: user.id, username: user.username, email: user.email, displayName: user.displayName, roles: [...user.roles] };
}

export function passwordMatches(user: DemoUser, password: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(user.password), digest(password));
}
