import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { AUDITORS } from './auditors';
import { VerifyRequestDto } from './verify-request.dto';
import { VerificationJobsService, type VerificationJob, type VerificationReport } from './verification-jobs.service';

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit/verify')
@Roles(...AUDITORS)
export class AuditVerifyController {
  constructor(@Inject(VerificationJobsService) private readonly verification: VerificationJobsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check hash chains: one customer (answered at once) or every stream (202 with a job to follow)',
  })
  async verify(
    @Body() body: VerifyRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<({ scope: 'customer'; customerId: string } & VerificationReport) | VerificationJob> {
    if (body.customerId !== undefined) {
      const report = await this.verification.verifyCustomer(body.customerId);
      if (!report) throw new NotFoundException(`customer ${body.customerId} has no events`);
      return { scope: 'customer', customerId: body.customerId, ...report };
    }
    const job = this.verification.startAll();
    void reply.status(202).header('location', `/audit/verify/${job.jobId}`);
    return job;
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'Progress and result of a verification job' })
  job(@Param('jobId', new ParseUUIDPipe()) jobId: string): VerificationJob {
    const job = this.verification.job(jobId);
    if (!job) throw new NotFoundException(`no verification job ${jobId} (jobs are kept in memory until restart)`);
    return job;
  }
}
