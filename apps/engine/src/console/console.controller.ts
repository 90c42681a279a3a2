import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator';
import { CONSOLE_FILES, VENDOR_FILES, type ConsoleAsset } from './console-assets';
import { CONSOLE_ASSETS } from './console-assets.provider';

// The page loads only its own files; the data comes from this origin's API with the analyst's key.
const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The analysts' and auditors' console: static files only, served without a key. The page asks for an
 * API key and calls the API with it, so every figure it shows is subject to the key's role.
 */
@ApiExcludeController()
@Controller('console')
@Public()
export class ConsoleController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly assets: Map<string, ConsoleAsset>) {}

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send('index.html', request, reply);
  }

  @Get([...CONSOLE_FILES, ...Object.keys(VENDOR_FILES)])
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const path = (request.routeOptions.url ?? '').replace(/^\/console\//, '');
    this.send(path, request, reply);
  }

  private send(path: string, request: FastifyRequest, reply: FastifyReply): void {
    const asset = this.assets.get(path);
    if (!asset) throw new NotFoundException(`no console file ${path}`);
    void reply
      .header('cache-control', asset.cacheControl)
      .header('etag', asset.etag)
      .header('x-content-type-options', 'nosniff');
    if (path === 'index.html')
      void reply.header('content-security-policy', PAGE_POLICY).header('referrer-policy', 'no-referrer');
    if (request.headers['if-none-match'] === asset.etag) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', asset.contentType).send(asset.body);
  }
}
