import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the app sets on itself, imported first by every entry point (src/main.ts and the
 * benchmark children), so that they hold however the process is started: NODE_OPTIONS refuses
 * these, and a flag on a command line is lost where a platform starts the app its own way.
 *
 * --no-allocation-site-pretenuring: V8 learns, per allocation site, whether the objects it makes
 * tend to outlive a young-generation collection, and if so allocates them straight in the old
 * generation. A request's objects (Node's IncomingMessage and ServerResponse, Fastify's, Nest's,
 * passport's) are caught alive by the first collections after start, while the heap is small,
 * and the sites stay pretenured: every later request's garbage then goes to the old generation,
 * and GC pauses take a large share of the CPU. Whether a site gets pretenured depends on what the
 * first traffic was, so production must not be left to luck (figures: docs/benchmarks.md).
 */
const V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

for (const flag of V8_FLAGS) setFlagsFromString(flag);
