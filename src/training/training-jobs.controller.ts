import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, PageQuery, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { CreateTrainingJobDto, TrainingJobDto } from './dto/training-job.dto';
import type { TrainingJobEntity } from './training-job.entity';
import { TrainingJobsService } from './training-jobs.service';

const WRITE = { roles: ['scientist' as const], scopes: ['train' as const] };
const READ = { roles: ['scientist' as const], scopes: ['train' as const] };

@ApiTags('training')
@Controller('training-jobs')
export class TrainingJobsController {
  constructor(private readonly jobs: TrainingJobsService) {}

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
  async create(@Body() body: CreateTrainingJobDto, @CurrentPrincipal() principal: Principal): Promise<TrainingJobDto> {
    const { promoteTo, ...rest } = body;
    const { job } = await this.jobs.create(
      { ...rest, promoteTo: promoteTo ? [promoteTo] : [] },
      principalId(principal),
    );
    return toDto(job);
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'Training jobs, newest first.' })
  async list(@Query() page: PageQuery): Promise<{ items: TrainingJobDto[]; total: number }> {
    const [rows, total] = await this.jobs.list(page.limit, page.offset);
    return { items: rows.map(toDto), total };
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({
    summary:
      'State, progress (epoch, loss, validation metrics), timings, the run and model version produced, or the error.',
  })
  @ApiOkResponse({ type: TrainingJobDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TrainingJobDto> {
    return toDto(await this.jobs.get(id));
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
    return toDto(await this.jobs.cancel(id, { id: principalId(principal), isAdmin }));
  }
}

function toDto(job: TrainingJobEntity): TrainingJobDto {
  return {
    id: job.id,
    state: job.state,
    recipe: job.recipe as unknown as Record<string, unknown>,
    datasetVersion: job.datasetVersion,
    progress: job.progress,
    attempts: job.attempts,
    error: job.error,
    runId: job.runId,
    model: job.modelName,
    modelVersion: job.modelVersion,
    result: job.result,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
