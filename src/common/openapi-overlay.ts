import type { OpenAPIObject, PathsObject, SchemaObject, TagObject } from '@nestjs/swagger';

/** Parts of the OpenAPI document that depend on what the app holds at runtime, not on its code. */
export interface OpenApiParts {
  paths: PathsObject;
  schemas: Record<string, SchemaObject>;
  tags: TagObject[];
  /** Markdown appended to the document's description (what was left out, and why). */
  note?: string;
}

/**
 * The port through which the bootstrap's Swagger setup asks a feature module for the runtime parts
 * of the document (served models' request bodies). `base` is the static document built at start;
 * an implementation caches its answer, since every request to /docs-json asks.
 */
export abstract class OpenApiOverlay {
  abstract parts(base: OpenAPIObject): Promise<OpenApiParts>;
}
