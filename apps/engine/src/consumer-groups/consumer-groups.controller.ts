import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { Roles } from '../auth/roles.decorator';
import { roleOf } from '../audit/auditors';
import { AckDto, CreateGroupDto, FetchDto, GroupParams, MemberParams } from './consumer-group.dto';
import { ConsumerGroupsService } from '@rapport/application';

/** Consumer groups over HTTP: a server-side checkpoint per partition, disjoint partitions per member, explicit acks. */
@ApiTags('consumer-groups')
@ApiSecurity('api-key')
@Controller('consumer-groups')
@Roles('subscriber', 'admin')
export class ConsumerGroupsController {
  constructor(@Inject(ConsumerGroupsService) private readonly groups: ConsumerGroupsService) {}

  @Put(':name')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a group (filter, partitions, start); the same definition again is a no-op' })
  async create(
    @Param() { name }: GroupParams,
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, group } = await this.groups.create(name, body);
    reply.status(created ? 201 : 200);
    return group;
  }

  @Get()
  async list() {
    return { items: await this.groups.list() };
  }

  @Get(':name')
  @ApiOperation({
    summary: 'Members with their leases and partitions; each partition’s owner, checkpoint and events in flight',
  })
  status(@Param() { name }: GroupParams) {
    return this.groups.status(name);
  }

  @Delete(':name')
  @Roles('admin')
  @HttpCode(204)
  async remove(@Param() { name }: GroupParams): Promise<void> {
    await this.groups.remove(name);
  }

  @Post(':name/members/:memberId/fetch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Join (first call) and take events from the member’s partitions, in order; long poll with waitMs',
  })
  fetch(@Param() { name, memberId }: MemberParams, @Body() body: FetchDto, @Req() request: AuthenticatedRequest) {
    return this.groups.fetch(name, memberId, roleOf(request), body.max ?? 100, body.waitMs ?? 0);
  }

  @Post(':name/members/:memberId/ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge handled events by ackToken; tokens of partitions that moved are refused' })
  ack(@Param() { name, memberId }: MemberParams, @Body() body: AckDto) {
    return this.groups.ack(name, memberId, body.tokens);
  }

  @Delete(':name/members/:memberId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave the group: the member’s partitions move at once' })
  async leave(@Param() { name, memberId }: MemberParams): Promise<void> {
    await this.groups.leave(name, memberId);
  }
}
