import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ParseDbIntPipe } from '../common/db-int';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../auth';
import { ErrorBody } from '../common/errors/error-body';
import { AliasService } from './alias.service';
import { NAME_PATTERN } from './dto/experiment.dto';
import {
  AliasDto,
  AliasMoveDto,
  CreateVersionDto,
  ModelVersionDto,
  MoveAliasDto,
  RegisteredModelDto,
} from './dto/model.dto';
import { ModelRegistryService } from './model-registry.service';
import { RegistryError, RegistryErrorCode } from './registry.errors';

const READ = { roles: ['scientist', 'consumer'] as ('scientist' | 'consumer')[] };

function modelName(name: string): string {
  if (!NAME_PATTERN.test(name))
    throw new RegistryError(RegistryErrorCode.INVALID_MODEL_NAME, 'Invalid model name', [
      { field: 'name', message: 'letters, digits, _ . - (up to 128 characters)' },
    ]);
  return name;
}

@ApiTags('registry')
@Controller('models')
export class ModelsController {
  constructor(
    private readonly models: ModelRegistryService,
    private readonly aliases: AliasService,
  ) {}

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'Registered models with their aliases.' })
  @ApiOkResponse({ type: [RegisteredModelDto] })
  list(): Promise<RegisteredModelDto[]> {
    return this.models.listModels();
  }

  @Get(':name')
  @Access(READ)
  @ApiOperation({ summary: 'One registered model.' })
  @ApiOkResponse({ type: RegisteredModelDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('name') name: string): Promise<RegisteredModelDto> {
    return this.models.getModel(name);
  }

  @Get(':name/versions')
  @Access(READ)
  @ApiOperation({ summary: 'Versions of a model, newest first.' })
  @ApiOkResponse({ type: [ModelVersionDto] })
  versions(@Param('name') name: string): Promise<ModelVersionDto[]> {
    return this.models.listVersions(name);
  }

  @Post(':name/versions')
  @Access({ roles: ['scientist'], scopes: ['train'] })
  @ApiOperation({ summary: "Register a finished run's bundle as the next version (creates the model on first use)." })
  @ApiCreatedResponse({ type: ModelVersionDto })
  @ApiConflictResponse({ type: ErrorBody, description: 'The run has not finished.' })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'Unknown run, or the run has no bundle artifact.' })
  register(
    @Param('name') name: string,
    @Body() body: CreateVersionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ModelVersionDto> {
    return this.models.registerVersion(modelName(name), body, principalId(principal));
  }

  @Get(':name/versions/:version')
  @Access(READ)
  @ApiOperation({ summary: 'One version.' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  version(@Param('name') name: string, @Param('version', ParseDbIntPipe) version: number): Promise<ModelVersionDto> {
    return this.models.getVersion(name, version);
  }

  @Delete(':name/versions/:version')
  @Access({ roles: ['scientist'], scopes: ['train'] })
  @ApiOperation({ summary: 'Delete a version; refused (409) while it holds an alias.' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorBody })
  @HttpCode(204)
  async remove(@Param('name') name: string, @Param('version', ParseDbIntPipe) version: number): Promise<void> {
    await this.models.deleteVersion(name, version);
  }

  @Get(':name/aliases/:alias')
  @Access(READ)
  @ApiOperation({ summary: 'The version an alias points to.' })
  @ApiOkResponse({ type: AliasDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  async alias(@Param('name') name: string, @Param('alias') alias: string): Promise<AliasDto> {
    return { alias, version: await this.models.versionForAlias(name, alias) };
  }

  @Put(':name/aliases/:alias')
  @Access({ roles: ['scientist'] })
  @ApiOperation({
    summary: 'Move (or create) an alias through the quality gate; rolling back is moving it back.',
    description:
      'The candidate must meet GATE_MIN_METRICS and be no worse than the current holder by more than GATE_MAX_REGRESSION on the primary metric ' +
      '(GATE_PRIMARY_METRIC). Versions evaluated on different held-out data are compared with a warning in the audit (GATE_ON_DIFFERENT_DATA=warn) ' +
      "or refused (refuse). A refusal is 422 with the gate's reasons in `details`. Admins may pass `force: true` (with a reason) to move anyway; " +
      'others get 403. Every move writes an audit row and emits `registry.alias-moved`.',
  })
  @ApiOkResponse({ type: AliasMoveDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'Refused by the quality gate (reasons in `details`) or unknown version.',
  })
  move(
    @Param('name') name: string,
    @Param('alias') alias: string,
    @Body() body: MoveAliasDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AliasMoveDto> {
    const isAdmin = principal.kind === 'user' && principal.role === 'admin';
    return this.aliases.move(name, alias, body, { id: principalId(principal), isAdmin });
  }

  @Get(':name/aliases/:alias/history')
  @Access(READ)
  @ApiOperation({ summary: "Audit of an alias's moves, newest first: who, when, from, to, why, gate result." })
  @ApiOkResponse({ type: [AliasMoveDto] })
  history(@Param('name') name: string, @Param('alias') alias: string): Promise<AliasMoveDto[]> {
    return this.aliases.history(name, alias);
  }
}
