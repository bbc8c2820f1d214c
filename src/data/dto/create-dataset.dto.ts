import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { COLUMN_TYPES, type ColumnType } from '../../ml';
import { MAX_COLUMNS } from '../schema-validation';

export class ColumnDto {
  @ApiProperty({
    example: 'Income',
    description: 'Column name as in the CSV header (any text: kept as metadata, never used in SQL).',
  })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: COLUMN_TYPES, example: 'number' })
  @IsIn(COLUMN_TYPES)
  type!: ColumnType;

  @ApiProperty({ example: true, description: 'Whether a missing value is allowed.' })
  @IsBoolean()
  nullable!: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['good', 'bad'],
    description: 'Allowed values of a category column; absent = any value.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  categories?: string[];
}

export class SchemaDto {
  @ApiProperty({ type: [ColumnDto] })
  @IsArray()
  @ArrayMaxSize(MAX_COLUMNS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ColumnDto)
  columns!: ColumnDto[];
}

export class CreateDatasetDto {
  @ApiProperty({ example: 'credit', description: 'Unique name (any text, 1-200 characters).' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'Status', description: 'Target column (what a model predicts).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  target?: string;

  @ApiPropertyOptional({
    type: SchemaDto,
    description: 'Declared schema; omit it to infer the schema from the first import (then confirm it).',
  })
  @IsOptional()
  // ValidateNested passes an array through (it validates each element), so the object is asked for first.
  @IsObject()
  @ValidateNested()
  @Type(() => SchemaDto)
  schema?: SchemaDto;
}
