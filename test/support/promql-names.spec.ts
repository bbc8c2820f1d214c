import { metricNames, UnreadablePromQL } from './promql-names';

describe('metricNames (the Grafana dashboard test’s PromQL subset)', () => {
  it.each([
    ['mlapi_workers_alive', ['mlapi_workers_alive']],
    [
      'sum by (model) (rate(mlapi_predictions_total{model=~"$model",outcome!="ok"}[$__rate_interval])) / sum by (model) (rate(mlapi_predictions_total[5m]))',
      ['mlapi_predictions_total'],
    ],
    [
      'histogram_quantile(0.95, sum by (le, route) (rate(mlapi_http_request_duration_seconds_bucket{route!="unmatched"}[1m30s])))',
      ['mlapi_http_request_duration_seconds_bucket'],
    ],
    [
      '(sum(rate(a_total{status=~"5..",x="a\\"}b"}[$__interval])) or vector(0)) / sum(b_total) > 0.5',
      ['a_total', 'b_total'],
    ],
    ['max(x) by (rule) and min without (le) (y)', ['x', 'y']],
    ['label_values(mlapi_predictions_total, model)', ['mlapi_predictions_total']],
  ])('reads %s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });

  it.each([
    ['a subquery', 'max_over_time(rate(x_total[1m])[5m:1m])'],
    ['a range it cannot read', 'rate(x_total[5m:1m])'],
    ['offset', 'rate(x_total[5m] offset 1h)'],
    ['vector matching', 'a / on (model) b'],
    ['a selector without a name', '{__name__="x"}'],
    ['a selector on __name__', 'x{__name__="y"}'],
    ['an unknown function', 'label_replace(x, "a", "b", "c", "d")'],
    ['an unclosed string', 'x{a="b}'],
    ['an unclosed parenthesis', 'sum(rate(x[1m])'],
    ['a stray parenthesis', 'x)'],
    ['a recording rule name', 'job:x:rate5m'],
    ['an aggregation without arguments', 'sum by (a)'],
    ['nothing selected', 'vector(1)'],
    ['a Grafana variable outside a string', 'x[$range]'],
  ])('refuses %s', (_, expr) => {
    expect(() => metricNames(expr)).toThrow(UnreadablePromQL);
  });
});
