import { Body, Controller, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentPrincipal, principalId, type Principal } from '../../auth';
import { PREDICT_ACCESS } from './predict-access';
import { ErrorBody } from '../../common/errors/error-body';
import { AppConfig } from '../../config/app-config';
import { ModelRefQuery, refOf } from './dto/model-ref.query';
import { MlflowInvocationDto, MlflowPredictionsDto } from './dto/protocols.dto';
import { readMlflowBody } from './mlflow-input';
import { PredictService } from '../serving/predict.service';

/**
 * MLflow's scoring protocol (`mlflow models serve`: POST /invocations), per model, so clients
 * written for an MLflow endpoint (or Azure ML online endpoints serving MLflow models) can point
 * here. Same validation, logging and metrics as the native predict.
 */
@ApiTags('inference')
@Controller('models')
export class MlflowController {
  constructor(
    private readonly predictions: PredictService,
    private readonly config: AppConfig,
  ) {}

  @Post(':name/invocations')
  @HttpCode(200)
  @Access(PREDICT_ACCESS)
  @ApiOperation({
    summary: 'Predict with the MLflow scoring protocol (dataframe_split, dataframe_records, instances or inputs)',
    description:
      'Answers `{"predictions": [...]}`, one entry per record: the predicted label for classification (as an MLflow pyfunc ' +
      'classifier does: no probabilities; use `/predict` or `/v2/.../infer` for them) or the value for regression. ' +
      'The version and alias that answered are in the `x-model-version` and `x-model-alias` headers. Every prediction is logged.',
  })
  @ApiBody({ type: MlflowInvocationDto })
  @ApiOkResponse({ type: MlflowPredictionsDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown model, alias or version' })
  @ApiPayloadTooLargeResponse({ type: ErrorBody, description: 'More records than INFERENCE_MAX_BATCH' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: 'Invalid records: one detail per bad field, e.g. `dataframe_split.data[3].Age`',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBody,
    description: "The version's bundle cannot be loaded, or the registry is down",
  })
  async invoke(
    @Param('name') name: string,
    @Query() query: ModelRefQuery,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MlflowPredictionsDto> {
    const input = readMlflowBody(body, this.config.env.INFERENCE_MAX_BATCH);
    const scored = await this.predictions.score({
      model: name,
      ref: refOf(query),
      input,
      caller: principalId(principal),
      protocol: 'mlflow',
    });
    void reply.header('x-model-version', String(scored.version)).header('x-model-alias', scored.alias ?? '');
    return { predictions: scored.predictions.map((p) => p.label ?? p.value!) };
  }
}
