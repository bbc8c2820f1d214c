import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth';
import { ComparisonService } from './comparison.service';
import { ComparisonDto, ComparisonQueryDto } from './dto/comparison.dto';

@ApiTags('monitoring')
@Controller('monitoring/models')
export class ComparisonController {
  constructor(private readonly comparison: ComparisonService) {}

  @Get(':name/comparison')
  @Access({ roles: ['scientist'], scopes: ['metrics:read'] })
  @ApiOperation({
    summary: 'Production beside canary and shadow, window by window.',
    description:
      "Each stored window inside [from, to] (at most 31 days; default the last 24 hours; a long span downsampled to `points` windows, each the newest of its slot), per version: its predictions, labelled share, label delay, realised figures of its own labelled predictions and the estimated ones; production and canary are each on their own share of traffic. A shadow adds its comparison with production on the same requests: agreement, probability differences, and the realised figures of both on the labelled ones. Computed by the workers' realised-quality job every MONITORING_REALISED_INTERVAL_MS.",
  })
  @ApiOkResponse({ type: ComparisonDto })
  compare(@Param('name') name: string, @Query() q: ComparisonQueryDto): Promise<ComparisonDto> {
    return this.comparison.compare(name, q.from, q.to, q.points);
  }
}
