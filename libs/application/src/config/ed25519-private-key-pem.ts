import { createPrivateKey } from 'node:crypto';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const PKCS8_PEM = /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n?$/;

/** Environment variables often carry a PEM on one line with literal `\n`: turn those into newlines. */
export const pemWithNewlines = (value: string): string =>
  `${value.replace(/\\n/g, '\n').replace(/\r\n/g, '\n').trim()}\n`;

/** Why a text is not an Ed25519 private key in PKCS#8 PEM, or null when it is one. */
export function ed25519PemProblem(pem: string): string | null {
  if (!PKCS8_PEM.test(pem))
    return 'must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)';
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'ed25519'
      ? null
      : `must be an Ed25519 key, found ${key.asymmetricKeyType ?? 'an unknown type'}`;
  } catch (error) {
    return `is not a readable private key (${(error as Error).message})`;
  }
}

/** class-validator rule: an Ed25519 private key in PKCS#8 PEM; the message says what is wrong. */
export function IsEd25519PrivateKeyPem(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isEd25519PrivateKeyPem',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && ed25519PemProblem(value) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? ed25519PemProblem(args.value) : 'must be a string'}`,
      },
    });
}
