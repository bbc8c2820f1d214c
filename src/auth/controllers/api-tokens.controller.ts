import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { validationFailed } from '../../common/errors/common.errors';
import { Access } from '../decorators/access.decorator';
import { CurrentPrincipal } from '../decorators/current-principal.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from '../dto/admin.dto';
import type { Principal } from '../principal';
import { ApiTokensService } from '../services/api-tokens.service';

@ApiTags('api tokens (admin)')
@Access({ roles: [] })
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @NoStore()
  @ApiOperation({ summary: 'Create a named machine token with scopes; the secret is in this answer only.' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  async create(@Body() body: CreateApiTokenDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiTokenDto> {
    if (body.expiresAt && body.expiresAt.getTime() <= Date.now()) {
      throw validationFailed([{ field: 'expiresAt', message: 'must be in the future' }]);
    }
    const creator = principal.kind === 'user' ? principal.userId : principal.createdBy;
    const { row, token } = await this.tokens.create(body, creator);
    return { ...ApiTokenDto.from(row), token };
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens (never their secrets).' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  async list(): Promise<ApiTokenDto[]> {
    return (await this.tokens.list()).map(ApiTokenDto.from);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token; every replica stops accepting it at once.' })
  @ApiNoContentResponse()
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
