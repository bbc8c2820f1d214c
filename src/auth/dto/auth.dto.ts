import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../entities/user.entity';
import { NewPassword, PresentedPassword } from './password-rules';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @PresentedPassword('correct horse battery staple')
  password!: string;
}

export class RegisterDto extends LoginDto {
  @NewPassword()
  declare password: string;
}

export class ChangePasswordDto {
  @PresentedPassword('change-me-admin-123')
  currentPassword!: string;

  @NewPassword('a new long passphrase')
  newPassword!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh (single use).' })
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived JWT; send as `Authorization: Bearer …`.' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque, single-use; exchange at /auth/refresh for a new pair.' })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: string;

  @ApiProperty({ example: 900, description: 'Access token lifetime in seconds.' })
  expiresIn!: number;

  @ApiProperty({
    description:
      'True after an admin reset the password or created the account with one (unless `mustChangePassword: false`): until it is changed with POST /auth/password, every other route but GET /auth/me and POST /auth/logout answers 403 auth.password_change_required.',
  })
  passwordChangeRequired!: boolean;

  @ApiProperty({ format: 'uuid' })
  sessionId!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  disabledAt!: Date | null;

  @ApiProperty({
    description: 'An admin reset the password or chose it at creation: the user must change it (POST /auth/password).',
  })
  passwordChangeRequired!: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Date,
    description: 'When the password was last changed or reset; null: still the one the account was created with.',
  })
  passwordChangedAt!: Date | null;

  static from(u: UserDto): UserDto {
    return {
      id: u.id,
      email: u.email,
      role: u.role,
      createdAt: u.createdAt,
      disabledAt: u.disabledAt,
      passwordChangeRequired: u.passwordChangeRequired,
      passwordChangedAt: u.passwordChangedAt,
    };
  }
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  lastUsedAt!: Date;

  @ApiProperty()
  expiresAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  ip!: string | null;

  @ApiProperty({ description: 'True for the session of the token making this request.' })
  current!: boolean;
}
