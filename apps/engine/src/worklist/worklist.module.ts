import { Module } from '@nestjs/common';
import { CommandHandlingModule, WorklistWatchersModule } from '@rapport/application';
import { FollowUpsController } from './follow-ups.controller';
import { WorklistController } from './worklist.controller';

/** Customer health, the follow-up worklist and its engine (issue 14): the routes, over the application's watchers. */
@Module({
  imports: [CommandHandlingModule, WorklistWatchersModule],
  controllers: [WorklistController, FollowUpsController],
})
export class WorklistModule {}
