import type { CellValue, DatasetSchema } from '../../ml';
import type { Frequencies } from './frequencies';

/**
 * The column statistics of an import, gathered in the app while its accepted rows stream to
 * COPY, so that PostgreSQL only sorts what must be sorted. Per numeric column: count, min, max,
 * mean and sum of squared deviations (Welford's update, numerically stable, in file order: the
 * same file gives the same figures) and the value frequencies while they stay under
 * MAX_NUMERIC_DISTINCT (they give exact quantiles and histogram, see frequencies.ts). Per other
 * column: the count and the value frequencies while they stay under MAX_CATEGORY_DISTINCT values
 * and MAX_CATEGORY_CHARS characters. A column past its cap drops its map (memory stays bounded
 * whatever the file) and is finished in SQL (profile-query.ts).
 */
export const MAX_NUMERIC_DISTINCT = 20_000;
export const MAX_CATEGORY_DISTINCT = 20_000;
export const MAX_CATEGORY_CHARS = 2_000_000;
/** Across all columns (a wide schema): past it, the column that asks for more drops its map. */
export const MAX_TOTAL_ENTRIES = 500_000;
export const MAX_TOTAL_CHARS = 16_000_000;

export interface NumericStats {
  kind: 'numeric';
  count: number;
  mean: number;
  /** Σ (x − mean)², accumulated with Welford's update. */
  m2: number;
  min: number;
  max: number;
  /** null: more than MAX_NUMERIC_DISTINCT values (quantiles and histogram come from SQL). */
  freq: Map<number, number> | null;
}

export interface CategoryStats {
  kind: 'category';
  count: number;
  chars: number;
  /** null: over the caps (frequencies come from SQL). */
  freq: Map<string, number> | null;
}

export type ColumnStats = NumericStats | CategoryStats;

export class ProfileAccumulator {
  rows = 0;
  readonly columns: ColumnStats[];
  /** Map entries and key characters held across all columns. */
  private entries = 0;
  private chars = 0;

  constructor(schema: DatasetSchema) {
    this.columns = schema.columns.map((c): ColumnStats =>
      c.type === 'number' || c.type === 'integer'
        ? { kind: 'numeric', count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, freq: new Map() }
        : { kind: 'category', count: 0, chars: 0, freq: new Map() },
    );
  }

  /**
   * One accepted row, in schema order: null = missing; a numeric column's cell is its number or
   * the plain decimal text PostgreSQL reads as the same number (RowEncoder's fast path).
   */
  addRow(cells: readonly (CellValue | undefined)[]): void {
    this.rows++;
    const cols = this.columns;
    for (let i = 0; i < cols.length; i++) {
      const v = cells[i];
      if (v === null || v === undefined) continue;
      const s = cols[i];
      if (s.kind === 'numeric') this.addNumber(s, typeof v === 'number' ? v : Number(v));
      else this.addCategory(s, typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));
    }
  }

  /** The fast lane's calls for one accepted row: `row()`, then one call per non-missing cell. */
  row(): void {
    this.rows++;
  }

  number(i: number, x: number): void {
    this.addNumber(this.columns[i] as NumericStats, x);
  }

  category(i: number, v: string): void {
    this.addCategory(this.columns[i] as CategoryStats, v);
  }

  /** A numeric column's frequencies, ascending (null when over the cap). */
  static numericFrequencies(s: NumericStats): Frequencies | null {
    if (!s.freq) return null;
    const values = Float64Array.from(s.freq.keys()).sort();
    return { values: Array.from(values), counts: Array.from(values, (v) => s.freq!.get(v)!) };
  }

  private addNumber(s: NumericStats, x: number): void {
    const n = ++s.count;
    const d = x - s.mean;
    s.mean += d / n;
    s.m2 += d * (x - s.mean);
    if (x < s.min) s.min = x;
    if (x > s.max) s.max = x;
    const f = s.freq;
    if (!f) return;
    const c = f.get(x);
    if (c !== undefined) f.set(x, c + 1);
    else if (f.size >= MAX_NUMERIC_DISTINCT || this.entries >= MAX_TOTAL_ENTRIES) {
      this.entries -= f.size;
      s.freq = null;
    } else {
      f.set(x, 1);
      this.entries++;
    }
  }

  private addCategory(s: CategoryStats, v: string): void {
    s.count++;
    const f = s.freq;
    if (!f) return;
    const c = f.get(v);
    if (c !== undefined) {
      f.set(v, c + 1);
      return;
    }
    s.chars += v.length;
    this.chars += v.length;
    if (
      f.size >= MAX_CATEGORY_DISTINCT ||
      s.chars > MAX_CATEGORY_CHARS ||
      this.entries >= MAX_TOTAL_ENTRIES ||
      this.chars > MAX_TOTAL_CHARS
    ) {
      this.entries -= f.size;
      this.chars -= s.chars;
      s.freq = null;
      return;
    }
    // A copy: a substring of a parsed chunk could otherwise keep the whole chunk alive.
    f.set(v.length > 12 ? Buffer.from(v, 'utf8').toString('utf8') : v, 1);
    this.entries++;
  }
}

/** Code point order: PostgreSQL's COLLATE "C" on UTF-8 text (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–DFFF, part of a code point above U+FFFF) sorts after U+E000–FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
    const sy = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
    return sx - sy;
  }
  return a.length - b.length;
}

/** The top-N of a frequency map: count descending, then value in code point order. */
export function topOf(freq: Map<string, number>, n: number): { value: string; count: number }[] {
  const all = Array.from(freq, ([value, count]) => ({ value, count }));
  all.sort((a, b) => b.count - a.count || compareCodePoints(a.value, b.value));
  return all.slice(0, n);
}
