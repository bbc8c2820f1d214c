import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, PageQuery, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { CreateTrainingJobDto, TrainingJobDto } from './dto/training-job.dto';
import type { TrainingJobEntity } from './training-job.entity';
import { TrainingJobsService } from './training-jobs.service';
import { JobLiveness } from './job-liveness';

const WRITE = { roles: ['scientist' as const], scopes: ['train' as const] };
const READ = { roles: ['scientist' as const], scopes: ['train' as const] };

@ApiTags('training')
@Controller('training-jobs')
export class TrainingJobsController {
  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly liveness: JobLiveness,
  ) {}

  @Post()
  @HttpCode(202)
  @Access(WRITE)
  @ApiOperation({
    summary:
      'Queue a training job; poll GET /training-jobs/{id}. An identical request already queued or running is answered with that job.',
  })
  @ApiAcceptedResponse({ type: TrainingJobDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown dataset or version' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'Unknown column, target with one class, impossible hyperparameters (each named in details)',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBody,
    description:
      'common.dependency_unavailable: PostgreSQL or Redis is down (named; Retry-After). When Redis is, the job is recorded and a worker queues it later; repeating the request answers that job.',
  })
  async create(@Body() body: CreateTrainingJobDto, @CurrentPrincipal() principal: Principal): Promise<TrainingJobDto> {
    const { promoteTo, ...rest } = body;
    const { job } = await this.jobs.create(
      { ...rest, promoteTo: promoteTo ? [promoteTo] : [] },
      principalId(principal),
    );
    return this.described([job]).then(([dto]) => dto);
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'Training jobs, newest first.' })
  async list(@Query() page: PageQuery): Promise<{ items: TrainingJobDto[]; total: number }> {
    const [rows, total] = await this.jobs.list(page.limit, page.offset);
    return { items: await this.described(rows), total };
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({
    summary:
      'State, progress (epoch, loss, validation metrics), timings, the run and model version produced, or the error.',
  })
  @ApiOkResponse({ type: TrainingJobDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TrainingJobDto> {
    return (await this.described([await this.jobs.get(id)]))[0];
  }

  @Delete(':id')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Cancel a queued job, or stop a running one after its current epoch. 409 when already finished.',
  })
  @ApiOkResponse({ type: TrainingJobDto })
  async cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrainingJobDto> {
    const isAdmin = principal.kind === 'user' && principal.role === 'admin';
    return (await this.described([await this.jobs.cancel(id, { id: principalId(principal), isAdmin })]))[0];
  }

  /** The jobs as answered: a running one whose worker's heartbeat is gone reads `stalled`. */
  private async described(jobs: TrainingJobEntity[]): Promise<TrainingJobDto[]> {
    const stalled = await this.liveness.stalled(jobs);
    return jobs.map((job) => toDto(job, stalled.get(job.id) ?? null));
  }
}

function toDto(job: TrainingJobEntity, stalledReason: string | null): TrainingJobDto {
  return {
    id: job.id,
    state: stalledReason ? 'stalled' : job.state,
    recipe: job.recipe as unknown as Record<string, unknown>,
    datasetVersion: job.datasetVersion,
    progress: job.progress,
    attempts: job.attempts,
    error: job.error,
    worker: job.workerId,
    stalledReason,
    runId: job.runId,
    model: job.modelName,
    modelVersion: job.modelVersion,
    result: job.result,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
