import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentValidationRules } from '../http/dto-open-api';
import { completeOpenApiDocument } from './open-api-completion';

/** OpenAPI document and UI at `/docs` (JSON at `/docs-json`). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const document = completeOpenApiDocument(
    documentValidationRules(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Rapport')
          .setDescription(
            'Event-sourced customer-relationship engine. Every touchpoint is an immutable event. ' +
              'Errors are application/problem+json. Send the API key as `X-Api-Key: <key>` or `Authorization: Bearer <key>`.',
          )
          .setVersion('0.1.0')
          .build(),
      ),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
