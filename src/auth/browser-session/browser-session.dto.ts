import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../dto/auth.dto';

export class BrowserSessionDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({
    description:
      'The same value as the `mlapi_csrf` cookie: send it as `X-CSRF-Token` with every cookie-authenticated request other than GET, HEAD and OPTIONS.',
  })
  csrfToken!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description:
      'When the access cookie expires: refresh before (POST /auth/browser-session/refresh), or log in again.',
  })
  expiresAt!: string;
}
