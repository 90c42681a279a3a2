import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GENESIS_HASH } from '@rapport/event-store';

@Controller('health')
class HealthController {
  @Get()
  health() {
    return { status: 'ok', genesis: GENESIS_HASH.length };
  }
}

@Module({ controllers: [HealthController] })
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log('listening');
}
void bootstrap();
