import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, principalId, type Principal } from '../../auth';
import { AlertRulesService } from './alert-rules.service';
import { AlertWebhooksService } from './alert-webhooks.service';
import { AlertsService } from './alerts.service';
import { AlertDto, AlertPageDto, AlertQueryDto } from './dto/alert.dto';
import { AlertRuleDto, CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto';
import {
  AlertWebhookDto,
  CreateAlertWebhookDto,
  CreatedAlertWebhookDto,
  UpdateAlertWebhookDto,
} from './dto/alert-webhook.dto';

/** Reads as the monitoring results': scientists (admins always) and dashboards' tokens with `metrics:read`. */
const ALERT_READ = { roles: ['scientist' as const], scopes: ['metrics:read' as const] };

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Access(ALERT_READ)
  @ApiOperation({ summary: 'Alerts (pending, firing, resolved), the most recently changed first.' })
  @ApiOkResponse({ type: AlertPageDto })
  async list(@Query() q: AlertQueryDto): Promise<AlertPageDto> {
    const [rows, total] = await this.alerts.list(q);
    return { items: rows.map(AlertDto.from), total };
  }

  @Get(':id')
  @Access(ALERT_READ)
  @ApiOperation({ summary: 'One alert with its evidence.' })
  @ApiOkResponse({ type: AlertDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AlertDto> {
    return AlertDto.from(await this.alerts.get(id));
  }
}

@ApiTags('alerts')
@Access({ roles: [] })
@Controller('alerts/rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get()
  @ApiOperation({ summary: 'Alert rules (admin).' })
  @ApiOkResponse({ type: [AlertRuleDto] })
  async list(): Promise<AlertRuleDto[]> {
    return (await this.rules.list()).map(AlertRuleDto.from);
  }

  @Post()
  @ApiOperation({ summary: 'Add an alert rule (admin); evaluated from the next evaluation on.' })
  @ApiCreatedResponse({ type: AlertRuleDto })
  async create(@Body() body: CreateAlertRuleDto, @CurrentPrincipal() principal: Principal): Promise<AlertRuleDto> {
    return AlertRuleDto.from(await this.rules.create(body, principalId(principal)));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an alert rule (admin); the rule as changed is checked whole.' })
  @ApiOkResponse({ type: AlertRuleDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAlertRuleDto): Promise<AlertRuleDto> {
    return AlertRuleDto.from(await this.rules.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an alert rule (admin); its open alerts resolve at the next evaluation, its history stays.',
  })
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rules.remove(id);
  }
}

@ApiTags('alerts')
@Access({ roles: [] })
@Controller('alerts/webhooks')
export class AlertWebhooksController {
  constructor(private readonly webhooks: AlertWebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'Admin-managed webhook targets (never their secrets); ALERT_WEBHOOKS are not listed.' })
  @ApiOkResponse({ type: [AlertWebhookDto] })
  async list(): Promise<AlertWebhookDto[]> {
    return (await this.webhooks.list()).map(AlertWebhookDto.from);
  }

  @Post()
  @ApiOperation({ summary: 'Add a webhook target (admin); a secret made here is in this answer only.' })
  @ApiCreatedResponse({ type: CreatedAlertWebhookDto })
  async create(
    @Body() body: CreateAlertWebhookDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedAlertWebhookDto> {
    const { row, secret } = await this.webhooks.create(body, principalId(principal));
    return { ...AlertWebhookDto.from(row), secret };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook target (admin).' })
  @ApiOkResponse({ type: AlertWebhookDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAlertWebhookDto): Promise<AlertWebhookDto> {
    return AlertWebhookDto.from(await this.webhooks.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook target (admin); its queued deliveries are dropped.' })
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }
}
