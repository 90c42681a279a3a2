import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import type { EngineConfig } from '@rapport/application';
import { frameworkErrorProblem, installHttpEdge } from '../http/http-edge';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { RequestValidationError } from '../http/request-validation.error';
import { createEngineLogger } from '../logging/engine-logger';
import { EngineLogController } from '../logging/engine-log-controller';
import { MetricsService } from '../metrics/metrics.service';
import { setUpOpenApi } from './open-api';
import { SyncValidationPipe } from './sync-validation.pipe';
import { cacheValidationMetadata } from './validation-metadata-cache';

/** Builds the engine on Fastify, configured the same way for `npm start`, tests and benchmarks. */
export async function createApp(config: EngineConfig): Promise<NestFastifyApplication> {
  const logger = createEngineLogger(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT,
    loggerInstance: logger,
    logController: new EngineLogController(),
    requestIdHeader: 'x-request-id',
    trustProxy: true,
    // No Express-style middleware is used: Fastify's hooks do that work.
    skipMiddie: true,
    // Ids are up to 200 characters (ID_PATTERN); longer path parameters get a 414 problem.
    // `/console/` and `/console` are the same page.
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  cacheValidationMetadata();
  app.useGlobalPipes(
    new SyncValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance();
  installHttpEdge(fastify);
  recordHttpMetrics(app);
  setUpOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}

function recordHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  // Counted as they start: a stream or an export may run far longer than a scrape interval.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route?.startsWith('/streams/')) metrics.sseStreamsOpened.inc({ route });
    else if (route === '/audit/customers/:id/export') metrics.exports.inc({ kind: 'audit-customer' });
    else if (route === '/audit/export') metrics.exports.inc({ kind: 'audit-all' });
    else if (route === '/analytics/customers' && String(request.headers.accept ?? '').includes('text/csv'))
      metrics.exports.inc({ kind: 'analytics-csv' });
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}
