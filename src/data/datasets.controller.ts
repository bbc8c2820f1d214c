import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseDbIntPipe } from '../common/db-int';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { DatasetsService } from './datasets.service';
import { CreateDatasetDto } from './dto/create-dataset.dto';
import { toDatasetDto, toVersionDetailDto, toVersionDto } from './dto/mappers';
import { PageQueryDto, RowsQueryDto } from './dto/queries.dto';
import {
  DatasetDto,
  DatasetPageDto,
  RejectedPageDto,
  RowsPageDto,
  VersionDetailDto,
  VersionDto,
} from './dto/responses.dto';

const WRITE = { roles: ['scientist' as const], scopes: ['data:write' as const] };
// Training data (rows, rejected cells, profiles) is for scientists: consumers are prediction clients.
const READ = { roles: ['scientist' as const] };

/** `:ref` is a dataset id or its (URL-encoded) name. */
@ApiTags('datasets')
@ApiNotFoundResponse({ type: ErrorBody, description: 'No such dataset or version' })
@Controller('datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({ summary: 'Create a dataset, with a declared schema or none (the first import infers it)' })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'Invalid name, target or schema' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The name is taken' })
  async create(@Body() body: CreateDatasetDto, @CurrentPrincipal() principal: Principal): Promise<DatasetDto> {
    const ds = await this.datasets.create({
      name: body.name,
      target: body.target ?? null,
      schema: body.schema ?? null,
      createdBy: principalId(principal),
    });
    return toDatasetDto(ds);
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List datasets (limit/offset)' })
  async list(@Query() q: PageQueryDto): Promise<DatasetPageDto> {
    const [items, total] = await this.datasets.list(q.limit, q.offset);
    return { items: items.map(toDatasetDto), total, limit: q.limit, offset: q.offset };
  }

  @Get(':ref')
  @Access(READ)
  @ApiOperation({ summary: 'Read a dataset (by id or name)' })
  async get(@Param('ref') ref: string): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.find(ref));
  }

  @Post(':ref/schema/confirm')
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({ summary: 'Confirm the schema inferred by the first import' })
  @ApiConflictResponse({ type: ErrorBody, description: 'The schema is not an inferred one' })
  async confirm(@Param('ref') ref: string): Promise<DatasetDto> {
    return toDatasetDto(await this.datasets.confirmSchema(ref));
  }

  @Delete(':ref')
  @HttpCode(204)
  @Access({ roles: [] })
  @ApiOperation({ summary: 'Delete a dataset, its versions and rows (admin)' })
  @ApiConflictResponse({ type: ErrorBody, description: 'A version is in use (e.g. by a registered model)' })
  async remove(@Param('ref') ref: string): Promise<void> {
    await this.datasets.remove(ref);
  }

  @Get(':ref/versions')
  @Access(READ)
  @ApiOperation({ summary: 'List the versions of a dataset' })
  async versions(@Param('ref') ref: string): Promise<VersionDto[]> {
    const ds = await this.datasets.find(ref);
    return (await this.datasets.listVersions(ds.id)).map(toVersionDto);
  }

  @Get(':ref/versions/:number')
  @Access(READ)
  @ApiOperation({ summary: 'Read a version: metadata, schema and column profile' })
  async version(@Param('ref') ref: string, @Param('number', ParseDbIntPipe) number: number): Promise<VersionDetailDto> {
    const ds = await this.datasets.find(ref);
    return toVersionDetailDto(await this.datasets.version(ds.id, number));
  }

  @Get(':ref/versions/:number/rejected')
  @Access(READ)
  @ApiOperation({ summary: 'The rejected cells of a version: line, column, value, reason' })
  async rejected(
    @Param('ref') ref: string,
    @Param('number', ParseDbIntPipe) number: number,
    @Query() q: PageQueryDto,
  ): Promise<RejectedPageDto> {
    const ds = await this.datasets.find(ref);
    const v = await this.datasets.version(ds.id, number);
    const items = await this.datasets.rejected(v.id, q.limit, q.offset);
    return { items, total: v.rejectedCount };
  }

  @Get(':ref/versions/:number/rows')
  @Access(READ)
  @ApiOperation({ summary: 'Page through the typed rows of a version, in file order (cursor)' })
  async rows(
    @Param('ref') ref: string,
    @Param('number', ParseDbIntPipe) number: number,
    @Query() q: RowsQueryDto,
  ): Promise<RowsPageDto> {
    const ds = await this.datasets.find(ref);
    const v = await this.datasets.version(ds.id, number);
    return this.datasets.rowsPage(ds, v, q.cursor ? Number(q.cursor) : 0, q.limit);
  }
}
