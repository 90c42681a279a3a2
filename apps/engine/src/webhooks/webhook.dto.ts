import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  Matches,
} from 'class-validator';
import { CUSTOMER_EVENT_TYPES } from '@rapport/domain';
import {
  DEFAULT_MAX_ATTEMPTS,
  EVENT_CATEGORY_NAMES,
  MAX_ATTEMPTS_LIMIT,
  type CreateWebhook,
  type DeliveriesQuery,
  type RotateSecret,
  type UpdateWebhook,
} from '@rapport/application';

class WebhookFilterFields {
  @ApiPropertyOptional({
    description: 'Event types to deliver (with categories: their union; neither: every type)',
    example: ['PurchaseRecorded'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CUSTOMER_EVENT_TYPES.length)
  @IsIn(CUSTOMER_EVENT_TYPES, {
    each: true,
    message: `eventTypes must each be one of: ${CUSTOMER_EVENT_TYPES.join(', ')}`,
  })
  eventTypes?: string[];

  @ApiPropertyOptional({
    description:
      'Categories to deliver: a touchpoint (customer, call, purchase, promise, complaint, survey, follow-up) or alerts',
    example: ['alerts'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(EVENT_CATEGORY_NAMES(), {
    each: true,
    message: `categories must each be one of: ${EVENT_CATEGORY_NAMES().join(', ')}`,
  })
  categories?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({
    description: `Tries per event before its delivery is parked (1-${MAX_ATTEMPTS_LIMIT})`,
    default: DEFAULT_MAX_ATTEMPTS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;
}

/** `POST /webhooks`. */
export class CreateWebhookDto extends WebhookFilterFields implements CreateWebhook {
  @ApiProperty({ example: 'https://hooks.example.com/rapport' })
  @IsString()
  url!: string;

  @ApiPropertyOptional({
    description: 'Signing secret `whsec_<base64 of 24-64 bytes>`; generated (and returned once) when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, {
    message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes',
  })
  secret?: string;

  @ApiPropertyOptional({
    description: '`now` (default: events from now on), `beginning`, or a global position to start after',
  })
  @IsOptional()
  @Matches(/^(now|beginning|\d{1,15})$/, { message: 'startFrom must be now, beginning or a global position' })
  startFrom?: string;
}

/** `PATCH /webhooks/{id}`: any of the fields; a new filter applies from the subscription's checkpoint. */
export class UpdateWebhookDto extends WebhookFilterFields implements UpdateWebhook {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  url?: string;
}

/** `POST /webhooks/{id}/secret/rotate`. */
export class RotateSecretDto implements RotateSecret {
  @ApiPropertyOptional({
    description: 'Seconds the previous secret keeps signing beside the new one (0-604800)',
    default: 86_400,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 86_400)
  graceSeconds?: number;

  @ApiPropertyOptional({ description: 'The new secret; generated when absent' })
  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, {
    message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes',
  })
  secret?: string;
}

/** `POST /webhooks/{id}/deliveries/replay`. */
export class ReplayDto {
  @ApiPropertyOptional({ description: 'Only these customers’ parked deliveries (default: all)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  customerIds?: string[];
}

/** `GET /webhooks/{id}/deliveries`. */
export class DeliveriesQueryDto implements DeliveriesQuery {
  @ApiPropertyOptional({ enum: ['delivered', 'parked'] })
  @IsOptional()
  @IsIn(['delivered', 'parked'])
  state?: 'delivered' | 'parked';

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
