import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, principalId, type Principal } from '../../auth';
import { PREDICT_ACCESS } from './predict-access';
import { ErrorBody } from '../../common/errors/error-body';
import { ModelSchemaDto } from './dto/model-schema.dto';
import { ModelRefQuery, PredictQuery, refOf } from './dto/model-ref.query';
import { PredictRequestDto, PredictResponseDto } from './dto/predict.dto';
import { ModelCache } from '../serving/model-cache.service';
import { PredictService } from '../serving/predict.service';
import { signatureToJsonSchema } from './signature-schema';

/** What predict reads from the request itself (see `predict`). */
type PredictRequest = FastifyRequest<{ Params: { name: string }; Body: unknown }> & { principal: Principal };

@ApiTags('inference')
@Controller('models')
export class PredictController {
  constructor(
    private readonly predictions: PredictService,
    private readonly cache: ModelCache,
  ) {}

  @Post(':name/predict')
  @HttpCode(200)
  @Access(PREDICT_ACCESS)
  @ApiOperation({
    summary: 'Predict one record (`features`) or a batch (`instances`) with an alias (default production) or a version',
    description:
      '`?explain=true` adds per-feature contributions (replace-by-reference: see ExplanationDto and `explanationReference`).',
  })
  @ApiParam({ name: 'name', description: 'The registered model' })
  @ApiBody({ type: PredictRequestDto })
  @ApiOkResponse({ type: PredictResponseDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown model, alias or version' })
  @ApiPayloadTooLargeResponse({
    type: ErrorBody,
    description: 'More instances than INFERENCE_MAX_BATCH, or a body over BODY_LIMIT_BYTES',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'Invalid records: one detail per bad field, with the record index',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBody,
    description: "The version's bundle cannot be loaded (reason in the message), or the registry is down",
  })
  predict(@Req() req: PredictRequest, @Query() query: PredictQuery): Promise<PredictResponseDto> {
    // The hot path. Nest runs the global pipe over every @Param, @Body and custom-decorator argument
    // through a chain of about ten promises each, a share of a single-record prediction worth saving;
    // only the query needs it. The body is checked per model version, by the version's own signature.
    return this.predictions.predict(
      req.params.name,
      refOf(query),
      req.body,
      principalId(req.principal),
      query.explain === true,
    );
  }

  @Get(':name/schema')
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: 'The input signature of a version as JSON Schema, with a valid example request' })
  @ApiOkResponse({ type: ModelSchemaDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown model, alias or version' })
  @ApiServiceUnavailableResponse({ type: ErrorBody, description: "The version's bundle cannot be loaded" })
  async schema(@Param('name') name: string, @Query() query: ModelRefQuery): Promise<ModelSchemaDto> {
    const lease = await this.cache.acquire(name, refOf(query));
    try {
      const { meta } = lease.loaded.predictor;
      const { target } = meta.signature;
      return {
        model: name,
        version: lease.loaded.version,
        alias: lease.alias,
        inputSchema: signatureToJsonSchema(meta.signature, `${name} v${lease.loaded.version} features`),
        target: { name: target.name, task: target.task, classes: target.classes, positiveClass: target.positiveClass },
        example: { features: { ...meta.inputExample } },
      };
    } finally {
      lease.release();
    }
  }
}
