import { Body, Controller, Get, HttpCode, Logger, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBody } from '../../common/errors/error-body';
import { Access } from '../decorators/access.decorator';
import { CurrentPrincipal } from '../decorators/current-principal.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { CreateUserDto, PageQuery, PasswordResetDto, ResetPasswordDto, UpdateUserDto } from '../dto/admin.dto';
import { UserDto } from '../dto/auth.dto';
import { principalId, type Principal } from '../principal';
import { PasswordsService } from '../services/passwords.service';
import { UsersService } from '../services/users.service';

class UserPageDto {
  items!: UserDto[];
  total!: number;
}

@ApiTags('users (admin)')
@Access({ roles: [] })
@Controller('users')
export class UsersController {
  private readonly logger = new Logger(UsersController.name);

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users (admin).' })
  @ApiOkResponse({ type: UserPageDto })
  async list(@Query() page: PageQuery): Promise<UserPageDto> {
    const [rows, total] = await this.users.list(page.limit, page.offset);
    return { items: rows.map(UserDto.from), total };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user with a role (admin); they must change the password you chose at first login.',
    description:
      'Until the user changes it with POST /auth/password, their sessions reach only that, GET /auth/me and POST /auth/logout ' +
      '(403 auth.password_change_required elsewhere), as after a reset. `mustChangePassword: false` skips that, for a service ' +
      'account whose password only a program holds (better still: an API token).',
  })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() body: CreateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserDto> {
    const passwordChangeRequired = body.mustChangePassword ?? true;
    const user = await this.users.create(body.email, body.password, body.role, { passwordChangeRequired });
    this.logger.log(
      { userId: user.id, role: user.role, by: actorOf(principal), passwordChangeRequired },
      'user created by an admin',
    );
    return UserDto.from(user);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s role or disable/enable them (admin). Ends their sessions.' })
  @ApiOkResponse({ type: UserDto })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, body, actorOf(principal)));
  }

  @Post(':id/password')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({
    summary: 'Reset a user’s password (admin): a temporary one, shown once; the user must change it at next login.',
    description:
      'Takes no body. Ends every session of the user on every replica. Until the user changes the temporary password ' +
      'with POST /auth/password, their sessions reach only that, GET /auth/me and POST /auth/logout (403 ' +
      'auth.password_change_required elsewhere). API tokens they created keep working. Your own password: POST /auth/password.',
  })
  @ApiOkResponse({ type: PasswordResetDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'auth.user_not_found' })
  @ApiConflictResponse({ type: ErrorBody, description: 'auth.own_password_reset_refused: use POST /auth/password.' })
  async resetPassword(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() _body: ResetPasswordDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PasswordResetDto> {
    const { user, temporaryPassword } = await this.passwords.reset(id, actorOf(principal));
    return { ...UserDto.from(user), temporaryPassword };
  }
}

/** Who acts, for the self-checks and the log (API tokens cannot reach these routes today). */
function actorOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principalId(principal);
}
