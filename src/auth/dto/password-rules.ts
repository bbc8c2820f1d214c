import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The rules of every password a person chooses: at registration, at user creation and at a change. */
export const NewPassword = (example?: string) =>
  applyDecorators(
    ApiProperty({
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: `At least ${PASSWORD_MIN_LENGTH} characters.`,
      example,
    }),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

/** A password presented to prove who one is: no length rule, so that any password set before still works. */
export const PresentedPassword = (example?: string) =>
  applyDecorators(ApiProperty({ example, maxLength: PASSWORD_MAX_LENGTH }), IsString(), MaxLength(PASSWORD_MAX_LENGTH));
