import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { SCOPES, type Scope } from '../entities/api-token.entity';
import { ROLES, type Role } from '../entities/user.entity';
import { IsDbInt } from '../../common/db-int';
import { UserDto } from './auth.dto';
import { NewPassword } from './password-rules';

export class CreateUserDto {
  @ApiProperty({ example: 'scientist@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @NewPassword()
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    default: true,
    description:
      'The user must change this password at first login (POST /auth/password), as after a reset. false: not, for a service account.',
  })
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'Changing the role ends the user’s sessions.' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'true disables the user and ends their sessions; false enables.' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class PageQuery {
  @ApiPropertyOptional({ type: Number, default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ type: Number, default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsDbInt(0)
  offset: number = 0;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'scoring-service' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['predict'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SCOPES, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({ description: 'When the token stops working (ISO 8601); none = no expiry.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes!: Scope[];

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  expiresAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date })
  revokedAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date })
  lastUsedAt!: Date | null;

  static from(t: ApiTokenDto): ApiTokenDto {
    return {
      id: t.id,
      name: t.name,
      scopes: t.scopes,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      revokedAt: t.revokedAt,
      lastUsedAt: t.lastUsedAt,
    };
  }
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The secret, shown this once. Send as `Authorization: Bearer …`.' })
  token!: string;
}

/** An admin's reset takes no body: the server chooses the temporary password. */
export class ResetPasswordDto {}

export class PasswordResetDto extends UserDto {
  @ApiProperty({
    description:
      'Random, shown in this answer only. The user logs in with it and must then change it with POST /auth/password.',
  })
  temporaryPassword!: string;
}
