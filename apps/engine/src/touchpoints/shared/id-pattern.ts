import { ID_PATTERN, ID_RULE } from '@rapport/domain';

/** Ids in paths and bodies: the domain's one id rule, which the decider checks again for every transport. */
export { ID_PATTERN };
export const ID_MESSAGE = `$property must be ${ID_RULE}`;
