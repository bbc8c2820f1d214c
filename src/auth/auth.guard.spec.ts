import { isAllowed } from './auth.guard';
import type { Principal } from './principal';

const user = (role: 'admin' | 'scientist' | 'consumer'): Principal => ({ kind: 'user', userId: 'u', email: 'e', role, sessionId: 's' });
const token = (...scopes: ('predict' | 'train')[]): Principal => ({ kind: 'token', tokenId: 't', name: 'n', scopes, createdBy: 'u' });

describe('isAllowed', () => {
  it('lets admins call everything', () => {
    expect(isAllowed(user('admin'), { roles: [] })).toBe(true);
    expect(isAllowed(user('admin'), { roles: ['consumer'] })).toBe(true);
  });

  it('checks user roles against the rule', () => {
    expect(isAllowed(user('consumer'), { roles: [] })).toBe(false);
    expect(isAllowed(user('consumer'), { roles: ['scientist'] })).toBe(false);
    expect(isAllowed(user('scientist'), { roles: ['scientist'], scopes: ['train'] })).toBe(true);
  });

  it('lets any user through an endpoint without a rule, but no API token', () => {
    expect(isAllowed(user('consumer'), undefined)).toBe(true);
    expect(isAllowed(token('predict'), undefined)).toBe(false);
  });

  it('checks token scopes against the rule', () => {
    expect(isAllowed(token('predict'), { roles: ['consumer'], scopes: ['predict'] })).toBe(true);
    expect(isAllowed(token('train'), { roles: ['consumer'], scopes: ['predict'] })).toBe(false);
    expect(isAllowed(token('predict'), { roles: ['consumer'] })).toBe(false);
  });
});
