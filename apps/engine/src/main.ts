import 'reflect-metadata';
import { createApp } from './bootstrap/create-app';
import { InvalidConfigError, validateEngineConfig } from '@rapport/application';

async function main(): Promise<void> {
  let config;
  try {
    config = validateEngineConfig(process.env);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    process.stderr.write(`rapport engine: ${error.message}\n`);
    process.exit(2);
  }
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(`Rapport engine listening on http://${config.HOST}:${config.PORT} (API docs at /docs)\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `rapport engine failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
