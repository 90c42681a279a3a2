import { readFileSync } from 'node:fs';
import { runInThisContext } from 'node:vm';

/**
 * Loads one of the console's browser ES modules into Node for unit tests (jest runs CommonJS). Only for
 * self-contained modules: no imports, top-level `export function` (or `export async function`) declarations.
 */
export function loadBrowserModule<T>(file: string): T {
  const source = readFileSync(file, 'utf8');
  if (/^\s*import\s/m.test(source))
    throw new Error(`${file}: a browser module loaded in tests must not import anything`);
  const names = [...source.matchAll(/^export (?:async )?function (\w+)/gm)].map((match) => match[1]);
  const body = source.replace(/^export (async )?function /gm, '$1function ');
  if (/^export\s/m.test(body)) throw new Error(`${file}: only "export function" declarations are supported`);
  return runInThisContext(`(function () {\n${body}\nreturn { ${names.join(', ')} };\n})`, { filename: file })() as T;
}
