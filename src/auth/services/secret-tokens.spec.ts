import { formatApiToken, hashSecret, newSecret, parseApiToken, sameHash } from './secret-tokens';

describe('secret tokens', () => {
  it('round-trips an API token through its printed form', () => {
    const id = '0b9f7c52-6c1e-4d7e-9a55-2f3c1d0e8a11';
    const secret = newSecret();
    expect(parseApiToken(formatApiToken(id, secret))).toEqual({ id, secret });
  });

  it('rejects anything that is not an API token', () => {
    expect(parseApiToken('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBeNull();
    expect(parseApiToken(`mlt_${'0'.repeat(31)}_${'a'.repeat(43)}`)).toBeNull();
    expect(parseApiToken(`mlt_${'0'.repeat(32)}_${'a'.repeat(42)}`)).toBeNull();
  });

  it('hashes with SHA-256 and compares hashes exactly', () => {
    // echo -n abc | sha256sum
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sameHash(hashSecret('abc'), hashSecret('abc'))).toBe(true);
    expect(sameHash(hashSecret('abc'), hashSecret('abd'))).toBe(false);
    expect(sameHash(hashSecret('abc'), 'ab')).toBe(false);
  });

  it('makes 256-bit secrets that differ each time', () => {
    const a = newSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newSecret()).not.toBe(a);
  });
});
