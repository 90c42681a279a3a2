import 'reflect-metadata';
import { OrderParams } from '../touchpoints/purchases/order.params';
import { RecordPurchaseDto } from '../touchpoints/purchases/record-purchase.dto';
import { RequestValidationError } from '../http/request-validation.error';
import { SyncValidationPipe } from './sync-validation.pipe';

const pipe = new SyncValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as RequestValidationError,
  );

describe('SyncValidationPipe', () => {
  it('gives path parameters and bodies the compiled schema accepts as they came: nothing to build', async () => {
    const params = { id: 'c-1', orderId: 'o-1' };
    expect(await pipe.transform(params, { type: 'param', metatype: OrderParams })).toBe(params);
    const body = {
      orderId: 'o-1',
      lines: [{ sku: 'A', category: 'books', quantity: 2, unitPrice: 1.5 }],
      total: 3,
      currency: 'CNY',
    };
    expect(await pipe.transform(body, { type: 'body', metatype: RecordPurchaseDto })).toBe(body);
  });

  it('names each failing path parameter and its rule, without echoing the value', async () => {
    const error = await rejection(
      pipe.transform({ id: ' bad id', orderId: 'o-1' }, { type: 'param', metatype: OrderParams }),
    );
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error?.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'matches' })]);
  });

  it('validates nested bodies through class-transformer, naming the dotted field', async () => {
    const body = {
      orderId: 'o-1',
      lines: [{ sku: 'A', category: 'books', quantity: 0, unitPrice: 1 }],
      total: 0,
      currency: 'CNY',
    };
    const error = await rejection(pipe.transform(body, { type: 'body', metatype: RecordPurchaseDto }));
    expect(error?.errors).toEqual([expect.objectContaining({ field: 'lines.0.quantity', rule: 'min' })]);
  });
});
