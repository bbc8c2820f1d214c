import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { CreateExperimentDto, ExperimentDto } from './dto/experiment.dto';
import { EndRunDto, LogMetricsDto, StartRunDto } from './dto/run-input.dto';
import { RunDto, RunPageDto } from './dto/run.dto';
import { parseRunSearch, RUN_SEARCH_SYNTAX } from './run-search';
import { TrackingService } from './tracking.service';

// Runs and experiments describe training data and recipes: scientists' business, not consumers'.
const READ = { roles: ['scientist'] } as const;
const WRITE = { roles: ['scientist'], scopes: ['train'] } as const;

@ApiTags('registry')
@Controller()
export class RunsController {
  constructor(private readonly tracking: TrackingService) {}

  @Post('experiments')
  @Access({ ...WRITE, roles: [...WRITE.roles], scopes: [...WRITE.scopes] })
  @ApiOperation({ summary: 'Create an experiment (or get it if the name exists).' })
  @ApiOkResponse({ type: ExperimentDto })
  @HttpCode(200)
  createExperiment(
    @Body() body: CreateExperimentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExperimentDto> {
    return this.tracking.ensureExperiment(body.name, principalId(principal), body.description);
  }

  @Get('experiments')
  @Access({ roles: [...READ.roles] })
  @ApiOperation({ summary: 'List experiments, newest first.' })
  @ApiOkResponse({ type: [ExperimentDto] })
  listExperiments(): Promise<ExperimentDto[]> {
    return this.tracking.listExperiments();
  }

  @Get('experiments/:idOrName')
  @Access({ roles: [...READ.roles] })
  @ApiOperation({ summary: 'One experiment, by id or name.' })
  @ApiOkResponse({ type: ExperimentDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  getExperiment(@Param('idOrName') idOrName: string): Promise<ExperimentDto> {
    return this.tracking.getExperiment(idOrName);
  }

  @Post('runs')
  @Access({ roles: [...WRITE.roles], scopes: [...WRITE.scopes] })
  @ApiOperation({ summary: 'Start a run (training normally does this itself).' })
  @ApiOkResponse({ type: RunDto })
  @HttpCode(201)
  startRun(@Body() body: StartRunDto, @CurrentPrincipal() principal: Principal): Promise<RunDto> {
    return this.tracking.startRun({ ...body, startedBy: principalId(principal) });
  }

  @Get('runs')
  @Access({ roles: [...READ.roles] })
  @ApiOperation({ summary: 'Search runs.', description: RUN_SEARCH_SYNTAX })
  @ApiQuery({ name: 'experiment', required: false, description: 'Experiment id or name.' })
  @ApiQuery({ name: 'status', required: false, example: 'finished', description: 'Comma-separated statuses.' })
  @ApiQuery({ name: 'param.<name>', required: false, description: 'e.g. `param.lr=0.01` (exact match).' })
  @ApiQuery({ name: 'metric.<name>_<gt|gte|lt|lte|eq>', required: false, description: 'e.g. `metric.roc_auc_gt=0.8`.' })
  @ApiQuery({ name: 'orderBy', required: false, example: 'metric.roc_auc' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiQuery({ name: 'offset', required: false, example: 0 })
  @ApiOkResponse({ type: RunPageDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'A filter is malformed; `details` names it.' })
  async searchRuns(@Query() query: Record<string, string | string[]>): Promise<RunPageDto> {
    const search = parseRunSearch(query);
    return { items: await this.tracking.searchRuns(search), limit: search.limit, offset: search.offset };
  }

  @Get('runs/:id')
  @Access({ roles: [...READ.roles] })
  @ApiOperation({ summary: 'One run with metric history, artifacts and MLflow mirror state.' })
  @ApiOkResponse({ type: RunDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  getRun(@Param('id', ParseUUIDPipe) id: string): Promise<RunDto> {
    return this.tracking.getRun(id);
  }

  @Get('runs/:id/artifact')
  @Access({ roles: ['scientist'], scopes: ['train'] })
  @ApiOperation({
    summary: 'Download one artifact of a run (e.g. `name=model/bundle.json`), checked against its sha256.',
  })
  @ApiQuery({ name: 'name', required: true, example: 'model/bundle.json' })
  @ApiProduces('application/octet-stream', 'application/json')
  @ApiOkResponse({ description: 'The bytes; `x-artifact-sha256` carries their hash.' })
  @ApiNotFoundResponse({ type: ErrorBody })
  async artifact(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('name') name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { artifact, data } = await this.tracking.getArtifact(id, String(name ?? ''));
    void reply.header('content-type', artifact.contentType).header('x-artifact-sha256', artifact.sha256);
    return data;
  }

  @Post('runs/:id/metrics')
  @Access({ roles: [...WRITE.roles], scopes: [...WRITE.scopes] })
  @ApiOperation({
    summary: "Log metrics: with `step`, one point of each metric's history (an epoch); without, final metrics.",
  })
  @ApiOkResponse({ type: RunDto })
  @HttpCode(200)
  async logMetrics(@Param('id', ParseUUIDPipe) id: string, @Body() body: LogMetricsDto): Promise<RunDto> {
    if (body.step === undefined) await this.tracking.logFinalMetrics(id, body.metrics);
    else await this.tracking.logMetrics(id, body.metrics, body.step);
    return this.tracking.getRun(id);
  }

  @Patch('runs/:id')
  @Access({ roles: [...WRITE.roles], scopes: [...WRITE.scopes] })
  @ApiOperation({ summary: 'End a run (finished, failed or killed).' })
  @ApiOkResponse({ type: RunDto })
  endRun(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndRunDto): Promise<RunDto> {
    return this.tracking.endRun(id, body.status, body.error);
  }

  @Post('runs/:id/mirror')
  @Access({ roles: [...WRITE.roles], scopes: [...WRITE.scopes] })
  @ApiOperation({ summary: 'Queue the whole run for mirroring to MLflow again (e.g. after a `failed` mirror).' })
  @ApiBody({ required: false, schema: { type: 'object' } })
  @ApiOkResponse({ type: RunDto })
  @HttpCode(202)
  remirror(@Param('id', ParseUUIDPipe) id: string): Promise<RunDto> {
    return this.tracking.remirror(id);
  }
}
