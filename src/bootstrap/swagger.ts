import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { OpenApiOverlay, type OpenApiParts } from '../common/openapi-overlay';

/**
 * Swagger UI at /docs, the OpenAPI document at /docs-json, with the bearer scheme. The document
 * is built from the controllers once; each request adds the runtime parts (the served models'
 * request bodies) that the `OpenApiOverlay` port answers from its cache.
 */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('ML API')
    .setDescription(
      'From CSV to a monitored, authenticated prediction API. Log in with `POST /auth/login`, ' +
        'then press **Authorize** and paste the `accessToken` (or an API token).',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API token' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const overlay = app.get(OpenApiOverlay);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
    // Also what Swagger UI's init script embeds, so the UI shows the same document.
    patchDocumentOnRequest: async (_req, _res, base) => withParts(base, await overlay.parts(base)),
  });
}

/** The static document with runtime parts added (shallow copies: the static one is never changed). */
export function withParts(base: OpenAPIObject, parts: OpenApiParts): OpenAPIObject {
  return {
    ...base,
    info: { ...base.info, description: [base.info.description, parts.note].filter(Boolean).join('\n\n') },
    tags: [...(base.tags ?? []), ...parts.tags],
    paths: { ...base.paths, ...parts.paths },
    components: { ...base.components, schemas: { ...base.components?.schemas, ...parts.schemas } },
  };
}
