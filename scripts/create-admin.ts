/**
 * Creates the first admin: `npm run create-admin` prompts for email and password, or reads
 * ADMIN_EMAIL / ADMIN_PASSWORD. Does nothing (exit 0) when an active admin already exists.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { DataSource, IsNull } from 'typeorm';
import { UserEntity } from '../src/auth/entities/user.entity';
import { PasswordHasher } from '../src/auth/services/password-hasher';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';

async function ask(question: string, secret = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  const answer = rl.question(question);
  muted = secret;
  const value = await answer;
  rl.close();
  if (secret) process.stdout.write('\n');
  return value.trim();
}

async function main(): Promise<number> {
  const config = loadConfig();
  const email = (config.env.ADMIN_EMAIL ?? (await ask('Admin email: '))).toLowerCase();
  const password = config.env.ADMIN_PASSWORD ?? (await ask('Admin password (12+ characters): ', true));
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return fail(`"${email}" is not an email address`);
  if (password.length < 12) return fail('the password must have at least 12 characters');

  const ds = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    if (config.migrateOnStart) await ds.runMigrations();
    const users = ds.getRepository(UserEntity);
    const admin = await users.findOneBy({ role: 'admin', disabledAt: IsNull() });
    if (admin) {
      process.stdout.write(`An admin already exists (${admin.email}); nothing to do.\n`);
      return 0;
    }
    if (await users.existsBy({ email }))
      return fail(`a non-admin user ${email} already exists; promote it with PATCH /users/{id}`);
    await users.insert({
      email,
      passwordHash: await new PasswordHasher().hash(password),
      role: 'admin',
      disabledAt: null,
    });
    process.stdout.write(`Created admin ${email}.\n`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

function fail(message: string): number {
  process.stderr.write(`create-admin: ${message}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
