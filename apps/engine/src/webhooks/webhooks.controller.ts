import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Roles } from '../auth/roles.decorator';
import { CreateWebhookDto, DeliveriesQueryDto, ReplayDto, RotateSecretDto, UpdateWebhookDto } from './webhook.dto';
import { WebhooksService } from '@rapport/application';

class WebhookParams {
  @IsUUID()
  id!: string;
}

/** Admin API of webhook subscriptions: create, filter, pause/resume, rotate the secret, read the log, replay. */
@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a receiver URL; the answer carries the signing secret (shown once)' })
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Every webhook subscription with its delivery status' })
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  get(@Param() { id }: WebhookParams) {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change URL, filter, description or attempts; a new filter applies from the checkpoint' })
  update(@Param() { id }: WebhookParams, @Body() body: UpdateWebhookDto) {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() { id }: WebhookParams): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop delivering; the checkpoint stays where it is' })
  pause(@Param() { id }: WebhookParams) {
    return this.webhooks.setStatus(id, 'paused');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deliver again from the checkpoint: nothing missed while paused is lost' })
  resume(@Param() { id }: WebhookParams) {
    return this.webhooks.setStatus(id, 'active');
  }

  @Post(':id/secret/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret (shown once); the previous one also signs until the grace period ends' })
  rotate(@Param() { id }: WebhookParams, @Body() body: RotateSecretDto) {
    return this.webhooks.rotateSecret(id, body);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first: state, attempts, last status and error' })
  deliveries(@Param() { id }: WebhookParams, @Query() query: DeliveriesQueryDto) {
    return this.webhooks.deliveries(id, query);
  }

  @Post(':id/deliveries/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deliver parked deliveries again, oldest first per customer (same webhook-id)' })
  replay(@Param() { id }: WebhookParams, @Body() body: ReplayDto) {
    return this.webhooks.replay(id, body.customerIds);
  }
}
