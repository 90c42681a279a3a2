import { Module } from '@nestjs/common';
import { consoleAssetsProvider } from './console-assets.provider';
import { ConsoleController } from './console.controller';

/** The web console at `/console`: plain HTML and ES modules calling the API, charts by Chart.js. */
@Module({
  controllers: [ConsoleController],
  providers: [consoleAssetsProvider],
})
export class ConsoleModule {}
