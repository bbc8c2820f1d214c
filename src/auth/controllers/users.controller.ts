import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../decorators/access.decorator';
import { CurrentPrincipal } from '../decorators/current-principal.decorator';
import { CreateUserDto, PageQuery, UpdateUserDto } from '../dto/admin.dto';
import { UserDto } from '../dto/auth.dto';
import { principalId, type Principal } from '../principal';
import { UsersService } from '../services/users.service';

class UserPageDto {
  items!: UserDto[];
  total!: number;
}

@ApiTags('users (admin)')
@Access({ roles: [] })
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users (admin).' })
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() page: PageQuery): Promise<UserPageDto> {
    const [rows, total] = await this.users.list(page.limit, page.offset);
    return { items: rows.map(UserDto.from), total };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user with a role (admin).' })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() body: CreateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.create(body.email, body.password, body.role));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s role or disable/enable them (admin). Ends their sessions.' })
  @ApiOkResponse({ type: UserDto })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserDto> {
    const actor = principal.kind === 'user' ? principal.userId : principalId(principal);
    return UserDto.from(await this.users.update(id, body, actor));
  }
}
