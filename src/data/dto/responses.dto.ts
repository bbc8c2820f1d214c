import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DatasetSchema } from '../../ml';
import { SchemaDto } from './create-dataset.dto';

export class DatasetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'credit' }) name!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Status' }) target!: string | null;
  @ApiProperty({ nullable: true, type: SchemaDto }) schema!: DatasetSchema | null;
  @ApiProperty({
    enum: ['declared', 'inferred', 'confirmed', 'none'],
    description: '`inferred` schemas await confirmation.',
  })
  schemaSource!: string;
  @ApiProperty({ example: 'user:4b1…' }) createdBy!: string;
  @ApiProperty() createdAt!: Date;
}

export class DatasetPageDto {
  @ApiProperty({ type: [DatasetDto] }) items!: DatasetDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class VersionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) datasetId!: string;
  @ApiProperty({ example: 1 }) number!: number;
  @ApiProperty({ example: 4454 }) rowCount!: number;
  @ApiProperty({ example: 0 }) rejectedCount!: number;
  @ApiProperty({ example: 229_000 }) bytes!: number;
  @ApiProperty({ description: 'sha256 of the file content (hex).' }) sha256!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ type: [String] }) missingTokens!: string[];
  @ApiProperty({ nullable: true, type: String }) sourceName!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;
}

export class VersionDetailDto extends VersionDto {
  @ApiProperty({ type: SchemaDto }) schema!: DatasetSchema;
  @ApiProperty({
    description:
      'Column profile: numeric (count, missing, mean, std, min, max, quantiles, histogram) or category (top values, other).',
    type: Object,
  })
  profile!: object;
}

export class RejectedRowDto {
  @ApiProperty({ example: 17 }) line!: number;
  @ApiProperty({ example: 'Income' }) column!: string;
  @ApiProperty({ example: 'abc' }) value!: string;
  @ApiProperty({ example: 'not a number: abc' }) reason!: string;
}

export class RejectedPageDto {
  @ApiProperty({ type: [RejectedRowDto] }) items!: RejectedRowDto[];
  @ApiProperty() total!: number;
}

export class RowsPageDto {
  @ApiProperty({ description: 'Rows keyed by column name, typed (number, boolean, string, null).', type: [Object] })
  rows!: object[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}

export class ImportErrorDto {
  @ApiProperty() statusCode!: number;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [Object] }) details!: object[];
}

export class ImportJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) datasetId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'duplicate', 'failed'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) sourceName!: string | null;
  @ApiProperty() rowsRead!: number;
  @ApiProperty() rowsRejected!: number;
  @ApiProperty() bytesRead!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The created version (or the existing one for a duplicate).',
  })
  versionId!: string | null;
  @ApiPropertyOptional({ type: ImportErrorDto, nullable: true }) error!: ImportErrorDto | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
}

export class ImportResultDto {
  @ApiProperty({ enum: ['created', 'duplicate'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) importId!: string;
  @ApiProperty({ type: VersionDto }) version!: VersionDto;
}
