import type { CommandOfType, CustomerCommandType } from '@rapport/domain';

/** Body fields every route reads apart from the command's own: business time and the envelope's channel. */
type RouteFields = 'occurredAt' | 'channel';

type Fields<T extends CustomerCommandType> = Omit<CommandOfType<T>, 'type' | 'occurredAt'>;

/**
 * What a route's body carries of the domain's command T: its fields less those the route gives
 * (`FromRoute`: the path's ids, the calling key; the customer by default), with those the route fills
 * in when left out (`Defaulted`, e.g. the agent from the calling key) optional.
 */
export type CommandBody<
  T extends CustomerCommandType,
  FromRoute extends keyof Fields<T> = 'customerId' & keyof Fields<T>,
  Defaulted extends keyof Fields<T> = never,
> = Omit<Fields<T>, FromRoute | Defaulted> & Partial<Pick<Fields<T>, Defaulted>>;

/**
 * `class XDto implements Exactly<Body, XDto>`: the DTO declares every field of the body, with its
 * type, and no other (a field it has of its own must be `never`), so a field added to the domain's
 * command and not to the DTO, or to the DTO and not to the command, fails to compile.
 */
export type Exactly<Body, Dto> = Body & { [K in Exclude<keyof Dto, keyof Body | RouteFields>]: never };
