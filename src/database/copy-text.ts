/**
 * Encoding for PostgreSQL's COPY text format (tab-separated, `\N` for null, backslash escapes),
 * used by the data import and the prediction log, and the undoing of its escapes. Chosen over
 * CSV because it needs no quoting state: encoding is one regex test per text cell.
 */
export const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function encodeCopyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}

const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Undoes COPY TO's escapes (it writes only these, never octal or hex). */
export function unescapeCopyText(field: string): string {
  if (field.indexOf('\\') === -1) return field;
  return field.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
}

/** Tab-separated COPY text fields (without the line's newline). */
export function copyFields(values: ReadonlyArray<string | number | boolean | null>): string {
  return values.map(encodeCopyValue).join('\t');
}

/**
 * A value as JSON, in a COPY text field (for a `json` column). JSON.stringify escapes every
 * control character, so its text holds no tab, newline or carriage return: only its backslashes
 * need doubling, and a search for one is cheaper than the general escape's regex on long JSON.
 */
export function copyJson(value: object): string {
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}
