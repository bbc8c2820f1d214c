/**
 * The metric names a PromQL expression selects, for the Grafana dashboard's test. No PromQL parser
 * is among the dependencies (the well-kept ones are Go, or npm packages made for editors), so this
 * is a tokenizer limited to the subset the dashboard writes, and it throws on anything else rather
 * than guess: the real check of the expressions is Prometheus evaluating them (same test).
 *
 * Read: metric selectors `name{label op "value", …}[range]` (ops `= != =~ !~`; a range a duration
 * or `$__rate_interval`/`$__interval`/`$__range`), the functions and aggregations listed below
 * (an aggregation's `by (…)`/`without (…)` before or after its arguments), numbers, the arithmetic
 * and comparison operators, `and`/`or`/`unless`, parentheses and commas; and Grafana's
 * `label_values(selector, label)`. Refused: anything else, among it subqueries, `offset`, `@`,
 * vector matching (`on`, `ignoring`, `group_left`), a selector without a name or matching on
 * `__name__`, a function not listed, and an unclosed string, brace or parenthesis.
 */
const FUNCTIONS = new Set(['rate', 'increase', 'irate', 'histogram_quantile', 'vector', 'abs', 'clamp_min']);
const AGGREGATIONS = new Set(['sum', 'max', 'min', 'avg', 'count']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);
const GROUPING = new Set(['by', 'without']);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUMBER = /^\d+(\.\d+)?([eE][-+]?\d+)?/;
const OPERATOR = /^(==|!=|>=|<=|[-+*/%^<>])/;
const RANGE = /^\[(\d+(ms|[smhdwy]))+\]|^\[\$__(rate_interval|interval|range)\]/;
const MATCH_OP = /^(=~|!~|!=|=)/;

export class UnreadablePromQL extends Error {
  constructor(expr: string, at: number, why: string) {
    super(`cannot read PromQL at ${at} (${why}): ${expr.slice(0, at)}⟨here⟩${expr.slice(at)}`);
  }
}

/** The metric names `expr` selects (in order, without repeats); throws UnreadablePromQL outside the subset. */
export function metricNames(expr: string): string[] {
  const labelValues = /^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/.exec(expr);
  if (labelValues) return metricNames(labelValues[1]);
  const names: string[] = [];
  let i = 0;
  let depth = 0;
  const fail = (why: string): never => {
    throw new UnreadablePromQL(expr, i, why);
  };
  const rest = () => expr.slice(i);
  const skipSpace = () => {
    while (i < expr.length && /\s/.test(expr[i])) i++;
  };
  const nextIsParen = () => /^\s*\(/.test(rest());

  /** `( label, … )` after by/without. */
  const labelList = () => {
    skipSpace();
    if (expr[i] !== '(') fail('a label list after by/without');
    i++;
    for (;;) {
      skipSpace();
      const label = LABEL.exec(rest());
      if (!label) fail('a label name');
      i += label![0].length;
      skipSpace();
      if (expr[i] === ',') i++;
      else if (expr[i] === ')') return void i++;
      else fail('a comma or ) in a label list');
    }
  };

  /** `{ label op "value", … }` after a metric name. */
  const matchers = () => {
    i++;
    for (;;) {
      skipSpace();
      if (expr[i] === '}') return void i++;
      const label = LABEL.exec(rest());
      if (!label) fail('a label name in a selector');
      if (label![0] === '__name__') fail('a selector on __name__');
      i += label![0].length;
      skipSpace();
      const op = MATCH_OP.exec(rest());
      if (!op) fail('a label matcher operator');
      i += op![0].length;
      skipSpace();
      if (expr[i] !== '"') fail('a double-quoted label value');
      for (i++; i < expr.length && expr[i] !== '"'; i++) if (expr[i] === '\\') i++;
      if (i >= expr.length) fail('an unclosed string');
      i++;
      skipSpace();
      if (expr[i] === ',') i++;
      else if (expr[i] !== '}') fail('a comma or } in a selector');
    }
  };

  for (skipSpace(); i < expr.length; skipSpace()) {
    const c = expr[i];
    if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (--depth < 0) fail('a ) without its (');
      i++;
    } else if (c === ',') {
      if (depth === 0) fail('a comma outside any call');
      i++;
    } else if (c === '{') fail('a selector without a metric name');
    else if (c === '[') fail('a range or subquery not after a metric selector');
    else if (NUMBER.test(rest())) i += NUMBER.exec(rest())![0].length;
    else if (OPERATOR.test(rest())) i += OPERATOR.exec(rest())![0].length;
    else if (NAME.test(rest())) {
      const word = NAME.exec(rest())![0];
      i += word.length;
      if (FUNCTIONS.has(word) || AGGREGATIONS.has(word)) {
        if (AGGREGATIONS.has(word) && GROUPING.has(NAME.exec(rest().trimStart())?.[0] ?? '')) {
          skipSpace();
          i += NAME.exec(rest())![0].length;
          labelList();
        }
        if (!nextIsParen()) fail(`${word} without its arguments`);
      } else if (GROUPING.has(word)) {
        // `sum(…) by (…)`: only right after an aggregation's closing parenthesis.
        if (!/\)\s*$/.test(expr.slice(0, i - word.length))) fail(`${word} not after an aggregation`);
        labelList();
      } else if (SET_OPERATORS.has(word)) {
        // a binary operator between two vectors: nothing to read
      } else if (nextIsParen()) fail(`unknown function ${word}`);
      else if (word.includes(':') || /^(offset|bool|on|ignoring|group_left|group_right|inf|nan)$/i.test(word))
        fail(`${word} is outside the subset`);
      else {
        if (!names.includes(word)) names.push(word);
        skipSpace();
        if (expr[i] === '{') matchers();
        const range = RANGE.exec(rest().trimStart());
        if (range) {
          skipSpace();
          i += range[0].length;
        } else if (rest().trimStart().startsWith('[')) fail('a range this reader does not know (a subquery?)');
        if (/^\s*(offset|@)/.test(rest())) fail('offset or @ modifiers');
      }
    } else fail(`unexpected ${JSON.stringify(c)}`);
  }
  if (depth !== 0) fail('an unclosed (');
  if (names.length === 0) fail('no metric selected');
  return names;
}
