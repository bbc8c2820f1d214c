/** Prints the README's configuration table from the one env schema: `npx ts-node scripts/config-table.ts`. */
import { z } from 'zod';
import { envSchema } from '../src/config/env.schema';

function describe(field: z.ZodTypeAny): { def: string; text: string } {
  let node = field;
  let def = '';
  while (node instanceof z.ZodEffects || node instanceof z.ZodOptional || node instanceof z.ZodDefault) {
    if (node instanceof z.ZodDefault) def = String((node._def as { defaultValue: () => unknown }).defaultValue());
    node = node instanceof z.ZodEffects ? node.innerType() : (node._def as { innerType: z.ZodTypeAny }).innerType;
  }
  return { def, text: field.description ?? node.description ?? '' };
}

const shape = envSchema.innerType().shape as Record<string, z.ZodTypeAny>;
const lines = ['| variable | default | meaning |', '|---|---|---|'];
for (const [name, field] of Object.entries(shape)) {
  const { def, text } = describe(field);
  lines.push(`| \`${name}\` | ${def === '' ? '—' : `\`${def}\``} | ${text.replace(/\|/g, '\\|')} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
