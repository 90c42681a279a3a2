import { ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_SAFE_INTEGER = 'isSafeInteger';

/**
 * An integer JSON can carry exactly: `IsInt` accepts 9007199254740994, which is not the number the
 * client sent once parsed, so storing it would record a value nobody gave.
 */
export const IsSafeInteger = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: IS_SAFE_INTEGER,
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value),
        defaultMessage: () => '$property must be an integer from -9007199254740991 to 9007199254740991',
      },
    },
    options,
  );
