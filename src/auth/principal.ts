import type { Scope } from './entities/api-token.entity';
import type { Role } from './entities/user.entity';

/**
 * Who is calling: a user (JWT) or a machine (API token). Set on the request by the guard. A user
 * whose password an admin reset (`passwordChangeRequired`) reaches only the routes that let them change it.
 */
export type Principal =
  | { kind: 'user'; userId: string; email: string; role: Role; sessionId: string; passwordChangeRequired: boolean }
  | { kind: 'token'; tokenId: string; name: string; scopes: Scope[]; createdBy: string };

/** Stable id of the caller, for logs, audit rows and the prediction log. */
export function principalId(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `token:${principal.tokenId}`;
}
