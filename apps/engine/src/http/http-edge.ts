import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MethodNotAllowedError } from './http.errors';
import { sendProblem } from './problem-details.filter';

const logger = new Logger('HttpEdge');

/** Fastify's own refusals before routing (bad percent-encoding, over-long path parameter) as problems. */
export function frameworkErrorProblem(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(error, request, reply, logger);
}

// Methods a path may answer, in the order `Allow` lists them.
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `/customers/:id/calls` as a pattern over concrete paths (parameters are one segment each). */
function routePattern(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The edge's own refusals: no `text/plain` body parser (415 instead of a validation list), and 405 with
 * `Allow` for a path that exists under other methods (Fastify answers 404 for any unmatched method).
 * Call before the routes are registered (before `app.init()`), so every route is seen.
 */
export function installHttpEdge(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  fastify.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    const existing = routes.find((r) => r.pattern.source === routePattern(route.url).source);
    const entry = existing ?? { pattern: routePattern(route.url), methods: new Set<string>() };
    for (const method of methods) entry.methods.add(method.toUpperCase());
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    if (!existing) routes.push(entry);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m);
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = METHOD_ORDER.filter((m) => allowed.has(m));
    void reply.header('allow', allow.join(', '));
    sendProblem(new MethodNotAllowedError(request.method, allow), request, reply, logger);
  });
}
