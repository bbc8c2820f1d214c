/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4), for tests: prom-client
 * writes the format but cannot read it, and no parser is among the dependencies (a new one would
 * be a dependency for one test). Strict where a scraper is: every sample belongs to a family
 * declared by `# TYPE` before it, names and label names are valid, label values are quoted with
 * the format's escapes, no series appears twice, and a histogram's buckets are cumulative, end at
 * `+Inf` and agree with `_count`. Anything else throws, naming the line.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export class Exposition {
  constructor(readonly families: ReadonlyMap<string, Family>) {}

  family(name: string): Family {
    const f = this.families.get(name);
    if (!f) throw new Error(`no family ${name} in the exposition`);
    return f;
  }

  /** The label names a family's samples carry (`le` and `quantile` left out). */
  labelNames(name: string): string[] {
    const names = new Set<string>();
    for (const s of this.family(name).samples)
      for (const l of Object.keys(s.labels)) if (l !== 'le' && l !== 'quantile') names.add(l);
    return [...names].sort();
  }

  /** The samples of `name` (a family or one of its suffixed series) whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): Sample[] {
    const out: Sample[] = [];
    for (const f of this.families.values())
      for (const s of f.samples)
        if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) out.push(s);
    return out;
  }

  /** The value of the one sample of `name` with these labels; throws when none or several match. */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.samples(name, labels);
    if (found.length !== 1)
      throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}, expected one`);
    return found[0].value;
  }

  /** The sum of the values of every sample of `name` whose labels include `labels` (0 when none). */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((total, s) => total + s.value, 0);
  }

  /** How many series (sample lines) the families whose names start with `prefix` hold. */
  seriesCount(prefix = ''): number {
    let n = 0;
    for (const f of this.families.values()) if (f.name.startsWith(prefix)) n += f.samples.length;
    return n;
  }
}

export function parsePrometheusText(text: string): Exposition {
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  const seen = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `line ${i + 1} (${JSON.stringify(line.slice(0, 120))})`;
    if (line === '') return;
    if (line.startsWith('#')) return readComment(line, at, families, helps);
    const sample = readSample(line, at);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`${at}: sample of no declared family`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`${at}: the same series twice`);
    seen.add(key);
    family.samples.push(sample);
  });
  for (const f of families.values()) {
    f.help = helps.get(f.name) ?? '';
    if (f.type === 'histogram') checkHistogram(f);
  }
  return new Exposition(families);
}

function readComment(line: string, at: string, families: Map<string, Family>, helps: Map<string, string>): void {
  const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
  if (!m) return; // any other comment is allowed
  const [, kind, name, rest] = m;
  if (!NAME.test(name)) throw new Error(`${at}: invalid metric name`);
  if (kind === 'HELP') {
    if (helps.has(name)) throw new Error(`${at}: a second HELP for ${name}`);
    helps.set(name, rest);
    return;
  }
  if (!TYPES.has(rest as MetricType)) throw new Error(`${at}: unknown type ${rest}`);
  if (families.has(name)) throw new Error(`${at}: a second TYPE for ${name}`);
  families.set(name, { name, type: rest as MetricType, help: '', samples: [] });
}

function readSample(line: string, at: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/.exec(line);
  if (!m) throw new Error(`${at}: not a sample line`);
  return { name: m[1], labels: m[2] ? readLabels(m[2], at) : {}, value: readValue(m[3], at) };
}

/** `{a="x",b="y\"z"}`: names, quoted values with `\\`, `\"` and `\n` escapes, an optional trailing comma. */
function readLabels(block: string, at: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 1;
  const end = block.length - 1;
  while (i < end) {
    const eq = block.indexOf('=', i);
    if (eq < 0) throw new Error(`${at}: a label without a value`);
    const name = block.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`${at}: invalid label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`${at}: label ${name} twice`);
    if (block[eq + 1] !== '"') throw new Error(`${at}: label ${name}'s value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < end && block[j] !== '"'; j++) {
      if (block[j] !== '\\') {
        value += block[j];
        continue;
      }
      const escaped = block[++j];
      if (escaped === 'n') value += '\n';
      else if (escaped === '\\' || escaped === '"') value += escaped;
      else throw new Error(`${at}: invalid escape \\${escaped} in label ${name}`);
    }
    if (block[j] !== '"') throw new Error(`${at}: label ${name}'s value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (block[i] === ',') i++;
    else if (i !== end) throw new Error(`${at}: labels not separated by commas`);
  }
  return labels;
}

/** A float as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case; prom-client writes `Nan`). */
function readValue(text: string, at: string): number {
  if (/^nan$/i.test(text)) return NaN;
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${at}: invalid value ${text}`);
  return Number(text);
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['', '_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const f = families.get(sampleName.slice(0, sampleName.length - suffix.length));
    if (f && SUFFIXES[f.type].includes(suffix)) return f;
  }
  return undefined;
}

/** Each label set's buckets: `le` ascending and cumulative, ending at +Inf, whose count is `_count`. */
function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      g.buckets.push([readValue(le, `${f.name} le`), s.value]);
    } else if (s.name.endsWith('_count')) g.count = s.value;
    else g.sum = s.value;
  }
  for (const [key, g] of groups) {
    const where = `${f.name}${key}`;
    if (g.count === undefined || g.sum === undefined) throw new Error(`${where}: no _count or _sum`);
    const last = g.buckets[g.buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`${where}: buckets do not end at +Inf`);
    if (last[1] !== g.count) throw new Error(`${where}: the +Inf bucket is not _count`);
    for (let i = 1; i < g.buckets.length; i++)
      if (g.buckets[i][0] <= g.buckets[i - 1][0] || g.buckets[i][1] < g.buckets[i - 1][1])
        throw new Error(`${where}: buckets not ascending and cumulative`);
  }
}
