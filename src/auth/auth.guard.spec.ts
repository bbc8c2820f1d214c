import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, isAllowed } from './auth.guard';
import { Public } from './decorators/access.decorator';
import type { Principal } from './principal';

const user = (role: 'admin' | 'scientist' | 'consumer'): Principal => ({
  kind: 'user',
  userId: 'u',
  email: 'e',
  role,
  sessionId: 's',
  passwordChangeRequired: false,
});
const token = (...scopes: ('predict' | 'train')[]): Principal => ({
  kind: 'token',
  tokenId: 't',
  name: 'n',
  scopes,
  createdBy: 'u',
});

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

describe('AuthGuard route rules', () => {
  class Base {
    list(): void {}
  }
  @Public()
  class OpenController extends Base {}
  class ClosedController extends Base {}
  const context = (controller: object) =>
    ({
      getHandler: () => Base.prototype.list,
      getClass: () => controller,
      switchToHttp: () => ({ getRequest: () => ({ headers: {} }), getResponse: () => ({}) }),
    }) as unknown as ExecutionContext;

  it('keeps the rules of an inherited handler apart per controller, also once they are cached', async () => {
    const guard = new AuthGuard(new Reflector(), {} as never); // CSRF is not reached: no request here is authenticated
    for (let i = 0; i < 2; i++) {
      await expect(guard.canActivate(context(OpenController))).resolves.toBe(true);
      // Not public: authentication is attempted (and fails: no strategy, no token).
      await expect(guard.canActivate(context(ClosedController))).rejects.toThrow();
    }
  });
});
