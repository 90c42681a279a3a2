import type { Provider } from '@nestjs/common';
import { loadConsoleAssets } from './console-assets';

export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/** The console's files, read once at start-up. */
export const consoleAssetsProvider: Provider = { provide: CONSOLE_ASSETS, useFactory: loadConsoleAssets };
