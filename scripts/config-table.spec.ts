import { readFileSync } from 'node:fs';
import {
  BEGIN_MARKER,
  END_MARKER,
  README_PATH,
  REGENERATE,
  configRows,
  configTable,
  readmeTable,
  withTable,
} from './config-table';
import { envSchema } from '../src/config/env.schema';

/** The table's rows as cells, so a failure shows the variables that differ rather than one long string. */
const rowsOf = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));

describe('README configuration table (scripts/config-table.ts)', () => {
  it('is what the generator prints: every variable, its default and its meaning', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    try {
      expect(rowsOf(readmeTable(readme))).toEqual(rowsOf(configTable()));
    } catch (err) {
      (err as Error).message =
        `README.md's configuration table differs from src/config/env.schema.ts; run: ${REGENERATE}\n\n${(err as Error).message}`;
      throw err;
    }
  });

  it('has a row with a meaning for every variable of the env schema', () => {
    const names = Object.keys(envSchema.innerType().shape);
    const rows = configRows();
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows.filter((r) => r.meaning.trim() === '').map((r) => r.name)).toEqual([]);
    expect(rows.find((r) => r.name === 'PORT')).toEqual({ name: 'PORT', def: '3000', meaning: 'HTTP port.' });
    expect(rows.find((r) => r.name === 'DATABASE_URL')?.def).toBe('');
  });

  it('refuses a variable without a meaning, naming it', () => {
    expect(() => configTable([{ name: 'NEW_THING', def: '1', meaning: ' ' }])).toThrow(/NEW_THING/);
  });

  it('--write replaces only the text between the markers', () => {
    const readme = `# t\n\nintro\n${BEGIN_MARKER}\n| stale |\n\n${END_MARKER}\n\nafter\n`;
    const table = configTable([{ name: 'A', def: '', meaning: 'x | y' }]);
    const written = withTable(readme, table);
    expect(written).toBe(`# t\n\nintro\n${BEGIN_MARKER}\n${table}\n${END_MARKER}\n\nafter\n`);
    expect(readmeTable(written)).toBe(table);
    expect(withTable(written, table)).toBe(written);
  });

  it('names the markers when the README lacks them', () => {
    expect(() => readmeTable('| variable | default | meaning |\n')).toThrow(END_MARKER);
  });
});
