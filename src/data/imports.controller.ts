import { Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, CurrentPrincipal, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { DatasetsService } from './datasets.service';
import { toImportJobDto, toVersionDto } from './dto/mappers';
import { ImportQueryDto } from './dto/queries.dto';
import { ImportJobDto, ImportResultDto } from './dto/responses.dto';
import { ImportJobsService } from './import/import-jobs.service';
import { UploadSpool } from './import/upload-spool';

@ApiTags('datasets')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such dataset or import' })
@Controller('datasets/:ref/imports')
export class ImportsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly jobs: ImportJobsService,
    private readonly spool: UploadSpool,
  ) {}

  @Post()
  @Access({ roles: ['scientist'], scopes: ['data:write'] })
  @ApiOperation({
    summary:
      'Upload a CSV file (multipart field `file`, streamed); 202 with an import id to poll, or the result with ?wait=true',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiResponse({ status: 202, type: ImportJobDto, description: 'Accepted: poll GET /datasets/{ref}/imports/{id}' })
  @ApiResponse({
    status: 201,
    type: ImportResultDto,
    description: 'With ?wait=true: the created (or identical existing) version',
  })
  @ApiBadRequestResponse({
    type: ErrorBody,
    description:
      'Not a CSV file, empty, bad encoding, malformed line (with line and column), or an unreadable multipart body',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'Header does not match the schema, or too many rejected rows',
  })
  @ApiPayloadTooLargeResponse({
    type: ErrorBody,
    description: 'Larger than IMPORT_MAX_UPLOAD_BYTES, more than one file, or more than 20 form fields',
  })
  async upload(
    @Param('ref') ref: string,
    @Query() q: ImportQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const ds = await this.datasets.find(ref);
    const upload = await this.spool.receive(req);
    const options = {
      maxRejectedShare: q.maxRejectedShare,
      missingTokens: q.missingTokens?.split(',').map((t) => t.trim()),
    };
    const { id, done } = await this.jobs.start(ds.id, upload, principalId(principal), options);
    if (!q.wait) {
      done.catch(() => undefined); // the outcome is recorded on the import row
      await reply.status(HttpStatus.ACCEPTED).send(toImportJobDto(await this.jobs.get(ds.id, id)));
      return;
    }
    const outcome = await done;
    const version = await this.datasets.versionById(outcome.versionId);
    await reply
      .status(outcome.status === 'created' ? HttpStatus.CREATED : HttpStatus.OK)
      .send({ status: outcome.status, importId: id, version: toVersionDto(version) });
  }

  @Get(':id')
  @Access({ roles: ['scientist'], scopes: ['data:write'] })
  @ApiOperation({ summary: 'Status and progress of an import' })
  async status(@Param('ref') ref: string, @Param('id', ParseUUIDPipe) id: string): Promise<ImportJobDto> {
    const ds = await this.datasets.find(ref);
    return toImportJobDto(await this.jobs.get(ds.id, id));
  }
}
