import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth';
import { PRODUCTION_ALIAS } from '../../registry';
import { MonitoringBuckets } from '../buckets/monitoring-buckets.service';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { DATASET_COLUMN } from '../results/monitoring-results';
import { VersionReferences } from '../windows/version-references';
import { BASELINE_PREFIX } from '../windows/window-results';
import {
  ComputedWindowDto,
  FeatureHistogramDto,
  MetricValueDto,
  MonitoredModelDto,
  PerformancePageDto,
  SeriesPageDto,
} from './dto/monitoring.dto';
import {
  ComputeWindowDto,
  DataQualityQueryDto,
  DriftQueryDto,
  HistogramQueryDto,
  PerformanceQueryDto,
} from './dto/window-query.dto';
import { TrafficPageDto, TrafficQueryDto } from './dto/traffic.dto';
import { featureHistogram } from './feature-histogram';
import { DRIFT_STATISTICS, MonitoringApi, QUALITY_STATISTICS } from './monitoring-api.service';
import { TrafficSeries } from './traffic-series';

const HOUR = 3_600_000;
/** Reads: scientists (admins always) and Prometheus/Grafana-style tokens with `metrics:read`. */
const READ = { roles: ['scientist' as const], scopes: ['metrics:read' as const] };

/**
 * Monitoring results as JSON (README, "Monitoring"): drift, data quality and estimated (and
 * realised) quality of each version in service, as stored by the window job; one window on demand.
 */
@ApiTags('monitoring')
@ApiExtraModels(MetricValueDto)
@Controller('monitoring/models')
export class MonitoringController {
  constructor(
    private readonly api: MonitoringApi,
    private readonly buckets: MonitoringBuckets,
    private readonly references: VersionReferences,
    private readonly traffic: TrafficSeries,
  ) {}

  @Get()
  @Access(READ)
  @ApiOperation({
    summary:
      'Models in service: each version an alias names, with its newest dataset drift verdict and estimated quality.',
  })
  @ApiOkResponse({ type: [MonitoredModelDto] })
  models(): Promise<MonitoredModelDto[]> {
    return this.api.models();
  }

  @Get(':name/traffic')
  @Access(READ)
  @ApiOperation({
    summary:
      "Traffic per time slot (default the last hour, 60 slots): callers' predictions, errors and error rate, predictions a second, p50/p95/p99 latency, predictions per version and alias (shadow included), predicted classes or mean value. From the buckets and replica counts, never the prediction log.",
  })
  @ApiOkResponse({ type: TrafficPageDto })
  trafficSeries(@Param('name') name: string, @Query() q: TrafficQueryDto): Promise<TrafficPageDto> {
    return this.traffic.read(name, q);
  }

  @Get(':name/drift')
  @Access(READ)
  @ApiOperation({
    summary:
      'Drift per feature, of the model output (`@prediction`) and of the dataset (empty column) as time series: statistic, value, verdict, threshold.',
  })
  @ApiOkResponse({ type: SeriesPageDto })
  drift(@Param('name') name: string, @Query() q: DriftQueryDto): Promise<SeriesPageDto> {
    const prefix = q.against === 'window' ? BASELINE_PREFIX : '';
    const statistics = (q.statistic ? [q.statistic] : DRIFT_STATISTICS).map((s) => prefix + s);
    return this.api.readSeries(name, q, { statistics, column: q.feature, stripPrefix: prefix });
  }

  @Get(':name/data-quality')
  @Access(READ)
  @ApiOperation({ summary: 'Missing, out-of-range and unknown-category rates per feature, as time series.' })
  @ApiOkResponse({ type: SeriesPageDto })
  dataQuality(@Param('name') name: string, @Query() q: DataQualityQueryDto): Promise<SeriesPageDto> {
    return this.api.readSeries(name, q, { statistics: QUALITY_STATISTICS, column: q.feature });
  }

  @Get(':name/performance')
  @Access(READ)
  @ApiOperation({
    summary:
      'Estimated quality (CBPE, with bands) and realised quality (from feedback) side by side, per version and window.',
  })
  @ApiOkResponse({ type: PerformancePageDto })
  performance(@Param('name') name: string, @Query() q: PerformanceQueryDto): Promise<PerformancePageDto> {
    return this.api.performance(name, q);
  }

  @Get(':name/features/:feature/histogram')
  @Access(READ)
  @ApiOperation({
    summary:
      "A feature's live counts in a window (default the last hour) beside the training ones, on the training bins.",
  })
  @ApiOkResponse({ type: FeatureHistogramDto })
  async histogram(
    @Param('name') name: string,
    @Param('feature') feature: string,
    @Query() q: HistogramQueryDto,
  ): Promise<FeatureHistogramDto> {
    const window = this.api.range(q, HOUR, 31);
    const version = (await this.api.resolveVersion(name, q, PRODUCTION_ALIAS))!;
    const { profile } = await this.references.get(name, version);
    const [summed] = await this.buckets.sum({ model: name, version, ...window });
    const sides = feature === DATASET_COLUMN ? null : featureHistogram(feature, profile, summed?.aggregate ?? null);
    if (!sides)
      throw new MonitoringError(
        MonitoringErrorCode.FEATURE_NOT_FOUND,
        `Version ${version} of ${name} has no feature ${feature} in its reference profile`,
        [{ field: 'feature', message: `not a feature of ${name} v${version}` }],
      );
    return {
      model: name,
      version,
      feature,
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      ...sides,
    };
  }

  @Post(':name/drift')
  @HttpCode(200)
  @Access({ roles: ['scientist'] })
  @ApiOperation({
    summary:
      'Computes drift, data quality and estimated quality of a window now (at most MONITORING_WINDOW_MAX_DAYS), against training or a baseline window; stores and answers the rows.',
  })
  @ApiOkResponse({ type: ComputedWindowDto })
  compute(@Param('name') name: string, @Body() body: ComputeWindowDto): Promise<ComputedWindowDto> {
    return this.api.compute(name, body);
  }
}
