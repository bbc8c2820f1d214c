import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../../auth';
import { ErrorBody } from '../../common/errors/error-body';
import { FeedbackBatchDto, FeedbackBatchResultDto, FeedbackDto, FeedbackResultDto } from './feedback.dto';
import { FeedbackService, type FeedbackCaller } from './feedback.service';

@ApiTags('inference')
@Controller('predictions')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post('feedback')
  @HttpCode(200)
  @Access({ roles: ['consumer'], scopes: ['feedback'] })
  @ApiOperation({
    summary:
      'Give the true labels of several predictions (all or nothing). The first label stands: only its giver or an admin may change it (409 otherwise)',
  })
  @ApiOkResponse({ type: FeedbackBatchResultDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown prediction id(s), each named in details' })
  @ApiConflictResponse({
    type: ErrorBody,
    description: 'Other callers already gave different labels, each named in details',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: "A label outside the target's classes (or not a number for regression)",
  })
  async giveMany(
    @Body() body: FeedbackBatchDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedbackBatchResultDto> {
    const items = await this.feedback.give(body.items, callerOf(principal), (i) => `items[${i}].`);
    return { items };
  }

  @Post(':id/feedback')
  @HttpCode(200)
  @Access({ roles: ['consumer'], scopes: ['feedback'] })
  @ApiOperation({
    summary:
      'Give the true label of a prediction (idempotent). Its giver or an admin may correct it (audited); another caller gets 409',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'predictionId from the predict answer' })
  @ApiOkResponse({ type: FeedbackResultDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown prediction id' })
  @ApiConflictResponse({ type: ErrorBody, description: 'Another caller already gave a different label' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: "A label outside the target's classes (or not a number for regression)",
  })
  async giveOne(
    @Param('id') id: string,
    @Body() body: FeedbackDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedbackResultDto> {
    const [result] = await this.feedback.give([{ predictionId: id, label: body.label }], callerOf(principal), () => '');
    return result;
  }
}

function callerOf(principal: Principal): FeedbackCaller {
  return { id: principalId(principal), isAdmin: principal.kind === 'user' && principal.role === 'admin' };
}
