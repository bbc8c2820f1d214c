import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseDbIntPipe } from '../../common/db-int';
import {
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../../auth';
import { PREDICT_ACCESS } from './predict-access';
import { ErrorBody } from '../../common/errors/error-body';
import { AppConfig } from '../../config/app-config';
import { ModelRefQuery, refOf } from './dto/model-ref.query';
import { V2InferRequestDto, V2InferResponseDto, V2ModelMetadataDto, V2ReadyDto } from './dto/protocols.dto';
import { ModelCache } from '../serving/model-cache.service';
import { ModelSource, type ModelRef } from '../serving/model-source';
import { PredictService } from '../serving/predict.service';
import { readV2Request, requestedOutputs, v2Inputs, v2Outputs, v2OutputsMeta } from './v2-protocol';

/**
 * The Open Inference Protocol (KServe v2) over REST: health, model metadata and infer, so
 * KServe/Triton/Seldon clients can call these models (the server's health routes are in src/health,
 * OpenInferenceHealthController). One input tensor per feature; outputs are
 * the label and class probabilities (or the value). Errors keep the app's one error body (its
 * `message` is what v2's `{"error": …}` would hold). `?alias=` picks an alias (default production).
 */
@ApiTags('inference (Open Inference Protocol v2)')
@Controller('v2')
export class OpenInferenceController {
  constructor(
    private readonly predictions: PredictService,
    private readonly cache: ModelCache,
    private readonly source: ModelSource,
    private readonly config: AppConfig,
  ) {}

  @Get('models/:name')
  @Access(PREDICT_ACCESS)
  @ApiOperation({
    summary: 'v2 model metadata of the alias (default production): versions, platform, input and output tensors',
  })
  @ApiOkResponse({ type: V2ModelMetadataDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  metadata(@Param('name') name: string, @Query() query: ModelRefQuery): Promise<V2ModelMetadataDto> {
    return this.describe(name, refOf(query));
  }

  @Get('models/:name/versions/:version')
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: 'v2 model metadata of one version' })
  @ApiParam({ name: 'version', type: Number })
  @ApiOkResponse({ type: V2ModelMetadataDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  versionMetadata(
    @Param('name') name: string,
    @Param('version', ParseDbIntPipe) version: number,
  ): Promise<V2ModelMetadataDto> {
    return this.describe(name, { version });
  }

  @Get('models/:name/ready')
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: "v2 model readiness: 200 once the alias's version is loaded (loads it), else 404/503" })
  @ApiOkResponse({ type: V2ReadyDto })
  modelReady(@Param('name') name: string, @Query() query: ModelRefQuery): Promise<V2ReadyDto> {
    return this.loadable(name, refOf(query));
  }

  @Get('models/:name/versions/:version/ready')
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: 'v2 readiness of one version' })
  @ApiParam({ name: 'version', type: Number })
  @ApiOkResponse({ type: V2ReadyDto })
  versionReady(@Param('name') name: string, @Param('version', ParseDbIntPipe) version: number): Promise<V2ReadyDto> {
    return this.loadable(name, { version });
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: 'v2 inference with the alias (default production): one input tensor per feature' })
  @ApiBody({ type: V2InferRequestDto })
  @ApiOkResponse({ type: V2InferResponseDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'Bad tensors or values, e.g. `inputs[Age].data[3]`' })
  infer(
    @Param('name') name: string,
    @Query() query: ModelRefQuery,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<V2InferResponseDto> {
    return this.run(name, refOf(query), body, principal);
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @Access(PREDICT_ACCESS)
  @ApiOperation({ summary: 'v2 inference with one version' })
  @ApiParam({ name: 'version', type: Number })
  @ApiBody({ type: V2InferRequestDto })
  @ApiOkResponse({ type: V2InferResponseDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiUnprocessableEntityResponse({ type: ErrorBody, description: 'Bad tensors or values, e.g. `inputs[Age].data[3]`' })
  inferVersion(
    @Param('name') name: string,
    @Param('version', ParseDbIntPipe) version: number,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<V2InferResponseDto> {
    return this.run(name, { version }, body, principal);
  }

  private async run(model: string, ref: ModelRef, body: unknown, principal: Principal): Promise<V2InferResponseDto> {
    let wanted: string[] | undefined;
    const scored = await this.predictions.score(
      {
        model,
        ref,
        caller: principalId(principal),
        protocol: 'v2',
        input: (signature) => {
          const input = readV2Request(body, signature, this.config.env.INFERENCE_MAX_BATCH);
          wanted = requestedOutputs(body, signature);
          return input;
        },
      },
      (loaded) => loaded.predictor.meta.signature,
    );
    const id = (body as { id?: unknown }).id;
    return {
      model_name: model,
      model_version: String(scored.version),
      ...(typeof id === 'string' ? { id } : {}),
      parameters: { alias: scored.alias ?? '' },
      outputs: v2Outputs(scored.extra, scored.predictions, wanted),
    };
  }

  private async describe(model: string, ref: ModelRef): Promise<V2ModelMetadataDto> {
    const lease = await this.cache.acquire(model, ref);
    try {
      const { signature } = lease.loaded.predictor.meta;
      const versions = await this.source.versions(model);
      return {
        name: model,
        versions: versions.map(String),
        platform: 'tensorflowjs',
        inputs: v2Inputs(signature),
        outputs: v2OutputsMeta(signature),
      };
    } finally {
      lease.release();
    }
  }

  private async loadable(model: string, ref: ModelRef): Promise<V2ReadyDto> {
    (await this.cache.acquire(model, ref)).release();
    return { ready: true };
  }
}
