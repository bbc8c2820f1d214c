import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
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
import { FeedbackService } from './feedback.service';

@ApiTags('inference')
@Controller('predictions')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post('feedback')
  @HttpCode(200)
  @Access({ roles: ['consumer'], scopes: ['feedback'] })
  @ApiOperation({
    summary: 'Give the true labels of several predictions (all or nothing; giving one again replaces it)',
  })
  @ApiOkResponse({ type: FeedbackBatchResultDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown prediction id(s), each named in details' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: "A label outside the target's classes (or not a number for regression)",
  })
  async giveMany(
    @Body() body: FeedbackBatchDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedbackBatchResultDto> {
    const items = await this.feedback.give(body.items, principalId(principal), (i) => `items[${i}].`);
    return { items };
  }

  @Post(':id/feedback')
  @HttpCode(200)
  @Access({ roles: ['consumer'], scopes: ['feedback'] })
  @ApiOperation({ summary: 'Give the true label of a prediction (idempotent: giving it again replaces it)' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'predictionId from the predict answer' })
  @ApiOkResponse({ type: FeedbackResultDto })
  @ApiNotFoundResponse({ type: ErrorBody, description: 'Unknown prediction id' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBody,
    description: "A label outside the target's classes (or not a number for regression)",
  })
  async giveOne(
    @Param('id') id: string,
    @Body() body: FeedbackDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedbackResultDto> {
    const [result] = await this.feedback.give(
      [{ predictionId: id, label: body.label }],
      principalId(principal),
      () => '',
    );
    return result;
  }
}
