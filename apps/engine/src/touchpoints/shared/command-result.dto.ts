import { ApiProperty } from '@nestjs/swagger';

export class RecordedEventDto {
  @ApiProperty({ example: '0b6f6c1e-3c1a-5a4e-9a53-2d4f0e7c1b21' })
  eventId: string;
  @ApiProperty({ example: 'PurchaseRecorded' })
  type: string;
  @ApiProperty({ example: 3 })
  revision: number;
}

/** What every accepted command returns (the revision is also the `ETag`). */
export class CommandResultDto {
  @ApiProperty({ example: 'c-1001' })
  customerId: string;
  @ApiProperty({
    example: 3,
    description: "the customer's stream revision after the command; send it back in If-Match",
  })
  revision: number;
  @ApiProperty({ example: 1542, description: 'global position of the last appended event' })
  position: number;
  @ApiProperty({ example: ['0b6f6c1e-3c1a-5a4e-9a53-2d4f0e7c1b21'] })
  eventIds: string[];
  @ApiProperty({ type: [RecordedEventDto] })
  events: RecordedEventDto[];
  @ApiProperty({
    example: false,
    description: 'true when this replays an earlier request with the same Idempotency-Key',
  })
  replayed: boolean;
}
