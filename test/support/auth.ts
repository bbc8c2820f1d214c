import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/entities/user.entity';
import { UsersService } from '../../src/auth/services/users.service';
import { Http } from './http';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'a-long-enough-test-password';

/** Creates a user with the role (through the service) and logs in over HTTP. */
export async function loginAs(t: TestApp, role: Role, email = `${role}-${randomUUID().slice(0, 8)}@example.com`) {
  const user = await t.app.get(UsersService).create(email, TEST_PASSWORD, role);
  const res = await new Http(t.baseUrl).post('/auth/login', { email, password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { user, email, accessToken: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
}

/** A bearer access token for a new user with this role. */
export async function tokenFor(t: TestApp, role: Role): Promise<string> {
  return (await loginAs(t, role)).accessToken;
}
