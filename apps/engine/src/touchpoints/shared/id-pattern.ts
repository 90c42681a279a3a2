/** Ids in paths and bodies: 1-200 characters, URL-safe, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:@-]{0,199}$/;
export const ID_MESSAGE =
  '$property must be 1-200 characters: letters, digits and . _ ~ : @ -, starting with a letter or digit';
