import 'reflect-metadata';
import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { cacheValidationMetadata } from './validation-metadata-cache';

class LineDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}
class OrderDto {
  @IsString() orderId!: string;
  @ValidateNested({ each: true }) @Type(() => LineDto) lines!: LineDto[];
}

const failing = (plain: object) =>
  validateSync(plainToInstance(OrderDto, plain), { whitelist: true, forbidNonWhitelisted: true }).map(
    (e) => e.property,
  );

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('gives the same verdicts, call after call, nested objects included', () => {
    for (let i = 0; i < 3; i++) {
      expect(failing({ orderId: 'o1', lines: [{ sku: 'a', quantity: 1 }] })).toEqual([]);
      expect(failing({ orderId: 7, lines: [{ sku: 'a', quantity: 0 }] })).toEqual(['orderId', 'lines']);
      expect(failing({ orderId: 'o1', lines: [], extra: true })).toEqual(['extra']);
    }
  });

  it('sees rules registered after the first validation', () => {
    class LaterDto {
      name!: string;
    }
    expect(validateSync(Object.assign(new LaterDto(), { name: 5 }), { forbidUnknownValues: false })).toHaveLength(0);
    IsString()(LaterDto.prototype, 'name');
    expect(validateSync(Object.assign(new LaterDto(), { name: 5 })).map((e) => e.property)).toEqual(['name']);
  });
});
