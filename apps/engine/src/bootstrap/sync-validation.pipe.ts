import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validateSync, type ValidatorOptions } from 'class-validator';

const isFlatStrings = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');

/**
 * The ValidationPipe with class-validator's synchronous run: no DTO has an asynchronous rule, and the
 * asynchronous run costs a promise per rule per field on every request. Path parameters (flat strings
 * the router split out) skip class-transformer: there is nothing nested to build.
 */
export class SyncValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { type, data, metatype } = metadata;
    if (type !== 'param' || data !== undefined || !metatype || !this.toValidate(metadata) || !isFlatStrings(value)) {
      return super.transform(value, metadata);
    }
    const params = Object.assign(new (metatype as new () => object)(), value);
    const errors = this.validate(params, { ...this.validatorOptions, validationError: { target: false, value: false } });
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    return params;
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }
}
