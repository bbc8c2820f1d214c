import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../entities/user.entity';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(256)
  password!: string;
}

export class RegisterDto extends LoginDto {
  @ApiProperty({ minLength: 12, maxLength: 256, description: 'At least 12 characters.' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  declare password: string;
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

  static from(u: UserDto): UserDto {
    return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt, disabledAt: u.disabledAt };
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
