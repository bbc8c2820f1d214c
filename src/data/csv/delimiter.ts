/** Delimiters a CSV file is exported with besides the comma (spreadsheets in many locales use `;`). */
const OTHER_DELIMITERS = new Map([
  [';', 'semicolon (;)'],
  ['\t', 'tab'],
  ['|', 'pipe (|)'],
]);

/** How many of each character the line holds: the delimiter is the one it has most of. */
function count(line: string, ch: string): number {
  let n = 0;
  for (let i = line.indexOf(ch); i !== -1; i = line.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * When a first line seems separated by something other than commas, says so for an error
 * message: the importer reads comma-separated CSV only (RFC 4180), and a `;` file otherwise
 * reports a quote error at line 1 or imports as one column.
 */
export function delimiterHint(firstLine: string): string | null {
  let best: string | null = null;
  let most = count(firstLine, ',');
  for (const d of OTHER_DELIMITERS.keys()) {
    const n = count(firstLine, d);
    if (n > most) [best, most] = [d, n];
  }
  if (best === null) return null;
  return `the file looks ${OTHER_DELIMITERS.get(best)}-separated; this importer reads comma-separated CSV, so convert it first`;
}
