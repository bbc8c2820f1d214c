import { HELMET_OPTIONS, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("records helmet's headers for the API's policy", () => {
    const headers = securityHeaders(HELMET_OPTIONS);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(headers['x-powered-by']).toBeUndefined();
  });

  it('follows the options (a header turned off is not sent)', () => {
    expect(securityHeaders({ contentSecurityPolicy: false, xFrameOptions: false })['x-frame-options']).toBeUndefined();
    expect(securityHeaders(HELMET_OPTIONS)['x-frame-options']).toBe('SAMEORIGIN');
  });
});
