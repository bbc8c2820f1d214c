import { refusedAddress, refusedUrl, shownUrl } from './webhook-address';

describe('webhook addresses (SSRF)', () => {
  it.each(['169.254.169.254', '169.254.1.1', '::ffff:169.254.169.254', 'fe80::1', '0.0.0.0', '::', 'fd00:ec2::254'])(
    'always refuses %s, private addresses allowed or not',
    (address) => {
      expect(refusedAddress(address, true)).toMatch(/link-local|metadata/);
      expect(refusedAddress(address, false)).toMatch(/link-local|metadata/);
    },
  );

  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '::1', 'fd12::1', '::ffff:10.0.0.1'])(
    'refuses the private address %s unless allowed',
    (address) => {
      expect(refusedAddress(address, false)).toMatch(/private/);
      expect(refusedAddress(address, true)).toBeNull();
    },
  );

  it('lets public addresses through', () => {
    expect(refusedAddress('93.184.216.34', false)).toBeNull();
    expect(refusedAddress('2606:2800:220:1::1', false)).toBeNull();
  });

  it('takes http and https URLs only, without credentials, and checks literal hosts', () => {
    expect(refusedUrl('ftp://example.com/x', true)).toBe('must be http or https');
    expect(refusedUrl('file:///etc/passwd', true)).toBe('must be http or https');
    expect(refusedUrl('not a url', true)).toBe('is not a URL');
    expect(refusedUrl('https://user:pw@example.com/', true)).toMatch(/credentials/);
    expect(refusedUrl('http://169.254.169.254/latest/meta-data', true)).toMatch(/metadata/);
    expect(refusedUrl('http://[fe80::1]/', true)).toMatch(/link-local/);
    expect(refusedUrl('http://localhost:8080/', false)).toMatch(/loopback/);
    expect(refusedUrl('http://localhost:8080/', true)).toBeNull();
    expect(refusedUrl('https://hooks.slack.com/services/T/B/X', false)).toBeNull();
  });

  it('shows a URL by its scheme and host only: the path and query of Slack and Teams URLs are credentials', () => {
    expect(shownUrl('https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe('https://hooks.slack.com/…');
    expect(shownUrl('https://x.logic.azure.com:443/workflows/1/triggers/m/paths/invoke?sig=SECRET')).toBe(
      'https://x.logic.azure.com/…',
    );
    expect(shownUrl('http://127.0.0.1:8080/hook?token=abc')).toBe('http://127.0.0.1:8080/…');
    expect(shownUrl('https://ops.example')).toBe('https://ops.example/');
    // Credentials in the URL itself are refused before anything is stored.
    expect(refusedUrl('https://user:pass@ops.example/hook', true)).toMatch(/credentials/);
  });
});
