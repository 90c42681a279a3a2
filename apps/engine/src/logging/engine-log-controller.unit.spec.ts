import type { FastifyReply, FastifyRequest } from 'fastify';
import { EngineLogController } from './engine-log-controller';

function answered(statusCode: number) {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const log = Object.fromEntries(
    ['error', 'info', 'debug'].map((level) => [
      level,
      (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message }),
    ]),
  );
  const request = { id: 'req-1', method: 'POST', url: '/customers/c-1/purchases' } as unknown as FastifyRequest;
  const reply = { statusCode, elapsedTime: 2.5, log } as unknown as FastifyReply;
  return { request, reply, lines };
}

describe('EngineLogController', () => {
  const controller = new EngineLogController();

  it.each([
    [201, 'debug'],
    [409, 'info'],
    [503, 'error'],
  ])('logs an answer with status %i at %s, with the request and its time', (status, level) => {
    const { request, reply, lines } = answered(status);
    controller.requestCompleted(null, request, reply);
    expect(lines).toEqual([
      { level, fields: { req: request, res: { statusCode: status }, responseTime: 2.5 }, message: 'request completed' },
    ]);
  });

  it('logs a failed answer at error with the error, and nothing when a request comes in', () => {
    const { request, reply, lines } = answered(200);
    const failure = new Error('socket closed');
    controller.incomingRequest();
    controller.requestCompleted(failure, request, reply);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ err: failure }) }),
    ]);
  });
});
