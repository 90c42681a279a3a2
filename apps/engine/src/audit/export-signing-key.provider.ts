import { Logger, type Provider } from '@nestjs/common';
import { loadSigningKey } from '@rapport/audit';
import type { KeyObject } from 'node:crypto';
import { EngineConfig } from '@rapport/application';

export const EXPORT_SIGNING_KEY = Symbol('EXPORT_SIGNING_KEY');

/**
 * The Ed25519 key that signs exports: `EXPORT_SIGNING_KEY` from the validated configuration (PKCS#8
 * PEM, checked at start-up; the CLI reads the same variable), else the development key in DATA_DIR
 * shared with `rapport export`.
 */
export const exportSigningKeyProvider: Provider = {
  provide: EXPORT_SIGNING_KEY,
  inject: [EngineConfig],
  useFactory: (config: EngineConfig): KeyObject => {
    const { privateKey, source } = loadSigningKey(config.EXPORT_SIGNING_KEY, config.DATA_DIR);
    if (source === 'data-dir')
      new Logger('ExportSigning').warn(
        `EXPORT_SIGNING_KEY not set: exports are signed with the development key in ${config.DATA_DIR}`,
      );
    return privateKey;
  },
};
