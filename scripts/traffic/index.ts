export { runTraffic, TrafficStartError, type TrafficOptions, type TrafficRun, type TrafficStart } from './run';
export { summaryLine, type TrafficSummary } from './summary';
export { DEFAULT_DRIFT, type DriftSpec } from './drift';
