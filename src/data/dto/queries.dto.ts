import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsDbInt } from '../../common/db-int';

export class PageQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsDbInt(0)
  offset = 0;
}

export class RowsQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit = 100;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page; absent for the first page.',
    example: '100',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}$/)
  cursor?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({
    description: 'Largest share of rejected rows still accepted (default IMPORT_MAX_REJECTED_SHARE).',
    example: 0.01,
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  maxRejectedShare?: number;

  @ApiPropertyOptional({
    description: 'Comma-separated values read as missing besides the empty field (default IMPORT_MISSING_TOKENS).',
    example: 'NA,null',
  })
  @IsOptional()
  @IsString()
  missingTokens?: string;

  @ApiPropertyOptional({
    description: 'Answer when the import is done (201 with the version, or the error) instead of 202 at once.',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  wait?: boolean;
}
