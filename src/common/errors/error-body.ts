import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetail {
  @ApiProperty({ example: 'email', description: 'The invalid field (dotted path for nested fields).' })
  field!: string;

  @ApiProperty({ example: 'must be an email' })
  message!: string;

  @ApiPropertyOptional({ description: 'Extra context where it helps: line, column, value, record index.' })
  line?: number;
}

/** The one error body of every endpoint (built by HttpErrorFilter). */
export class ErrorBody {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({ example: 'Unprocessable Entity' })
  error!: string;

  @ApiPropertyOptional({
    example: 'common.validation_failed',
    description:
      'What the module refused, `<module>.<fact>` (list in docs/errors.md); branch on this, not on the message. ' +
      "Absent when the error is not a module's: unknown route, malformed JSON, body over the limit, a framework check, an unexpected failure (500).",
  })
  code?: string;

  @ApiProperty({ example: 'Validation failed' })
  message!: string;

  @ApiProperty({ type: [ErrorDetail], description: 'At most 100; the rest are counted in `detailsOmitted`.' })
  details!: ErrorDetail[];

  @ApiPropertyOptional({ example: 400, description: 'How many details were left out (present only when some were).' })
  detailsOmitted?: number;

  @ApiProperty({ example: '5f0c6d6e-3c4b-4f4e-9d3b-2a1f8f0e6c11' })
  requestId!: string;
}
