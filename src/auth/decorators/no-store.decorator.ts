import { Header, applyDecorators } from '@nestjs/common';

/**
 * For answers that carry credentials: no browser, proxy or CDN may keep a copy (RFC 9111 `no-store`;
 * `Pragma` for HTTP/1.0 caches).
 */
export const NoStore = () => applyDecorators(Header('Cache-Control', 'no-store'), Header('Pragma', 'no-cache'));
