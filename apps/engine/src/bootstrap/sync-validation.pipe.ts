import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { compiledDtoCheck } from '../http/compiled-dto-validator';
import type { DtoClass } from '../http/dto-json-schema';
import { RequestValidationError } from '../http/request-validation.error';
import { requestShapeProblems } from './request-shape';

const isFlatStrings = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');

/**
 * The ValidationPipe with class-validator's synchronous run: no DTO has an asynchronous rule, and the
 * asynchronous run costs a promise per rule per field on every request. A body or path a DTO's
 * compiled schema accepts (the same rules, compiled once by ajv) is taken as it is: class-validator
 * would accept it too, and there is nothing for class-transformer to build. Anything else goes
 * through class-validator, which names the failing fields and rules. Path parameters (flat strings the
 * router split out) skip class-transformer: there is nothing nested to build.
 */
export class SyncValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { type, data, metatype } = metadata;
    if ((type === 'body' || type === 'param') && data === undefined && metatype && this.toValidate(metadata)) {
      if (this.acceptedAsIs(metatype as DtoClass, value)) return value;
    }
    if (type !== 'param' || data !== undefined || !metatype || !this.toValidate(metadata) || !isFlatStrings(value)) {
      return super.transform(value, metadata);
    }
    const params = Object.assign(new (metatype as new () => object)(), value);
    const errors = this.validate(params, {
      ...this.validatorOptions,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    return params;
  }

  /** Whether the DTO's compiled schema accepts the value as it is (class-validator then would too). */
  protected acceptedAsIs(metatype: DtoClass, value: unknown): boolean {
    return compiledDtoCheck(metatype)?.(value) === true;
  }

  /**
   * Nest's version recurses (a body nested 5,000 levels overflows the stack: a 500) and silently drops
   * `prototype` and `constructor` keys. Here the shape is checked without recursion and those keys are
   * refused as unknown fields; `__proto__` never gets here (Fastify's JSON parser refuses it).
   */
  protected override stripProtoKeys(value: unknown): void {
    const problems = requestShapeProblems(value);
    if (problems.length > 0) throw new RequestValidationError(problems);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return validateSync(object, validatorOptions);
  }
}
