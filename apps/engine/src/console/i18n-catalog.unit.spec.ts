import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { CONSOLE_FILES } from './console-assets';

// The console's catalogs and the code that uses them: every key in both languages, every key the code
// names present, and no user-facing text written in a page instead of the catalog.
const CONSOLE_DIR = join(__dirname, '..', '..', 'console');
type Catalog = { [key: string]: string | Catalog };
const load = (language: string): Catalog =>
  JSON.parse(readFileSync(join(CONSOLE_DIR, 'locales', `${language}.json`), 'utf8')) as Catalog;
const en = load('en');
const zh = load('zh-CN');

/** Flattened keys → text. */
function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}
const enKeys = flatten(en);
const zhKeys = flatten(zh);
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string): string => key.replace(PLURAL, '');
const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!).sort();

/** A message, object prefix or plural base the English catalog holds. */
function known(key: string): boolean {
  if (enKeys.has(key) || enKeys.has(`${key}_other`)) return true;
  return [...enKeys.keys()].some((k) => k.startsWith(`${key}.`));
}

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
const sources = jsFiles(CONSOLE_DIR).map((file) => ({
  file: relative(CONSOLE_DIR, file),
  text: readFileSync(file, 'utf8'),
}));

describe('console catalogs: en and zh-CN', () => {
  it('have the same messages: every English message has a Chinese one and the reverse (plural forms by language)', () => {
    const enBases = new Set([...enKeys.keys()].map(base));
    const zhBases = new Set([...zhKeys.keys()].map(base));
    expect([...enBases].filter((k) => !zhBases.has(k))).toEqual([]);
    expect([...zhBases].filter((k) => !enBases.has(k))).toEqual([]);
    // English plurals need one and other; Chinese has only other (Intl.PluralRules('zh-CN') says so).
    expect(new Intl.PluralRules('zh-CN').resolvedOptions().pluralCategories).toEqual(['other']);
    for (const key of enKeys.keys())
      if (key.endsWith('_one')) expect({ key, other: enKeys.has(`${base(key)}_other`) }).toEqual({ key, other: true });
    for (const key of zhKeys.keys())
      expect({ key, plural: key.match(PLURAL)?.[1] ?? 'other' }).toEqual({ key, plural: 'other' });
  });

  it('fill in the same placeholders in both languages', () => {
    for (const [key, text] of zhKeys) {
      const english = enKeys.get(key) ?? enKeys.get(`${base(key)}_other`) ?? '';
      expect({ key, placeholders: placeholders(text) }).toEqual({ key, placeholders: placeholders(english) });
    }
  });

  it('translate every message: a Chinese message equal to its English one holds no English word (acronyms and figures only)', () => {
    const untranslated = [...zhKeys].filter(([key, text]) => {
      const english = enKeys.get(key) ?? enKeys.get(`${base(key)}_other`);
      return text === english && /\b[a-z]{3,}\b/.test(text.replace(/\{\{[^}]*\}\}/g, ''));
    });
    expect(untranslated).toEqual([]);
  });
});

describe('console code: every message comes from the catalog', () => {
  it('names only keys the catalog holds (t(), codeLabel() prefixes, keys returned by the helpers, data-i18n in the page)', () => {
    const missing: string[] = [];
    for (const { file, text } of sources) {
      // t('a.b') and t(`a.${x}`) (the static head must be a known object); codeLabel('prefix', …).
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) if (!known(m[1]!)) missing.push(`${file}: ${m[1]}`);
      for (const m of text.matchAll(/\bt\(\s*`([^`$]+)\$\{/g))
        if (m[1] !== '' && !known(m[1]!.replace(/\.$/, ''))) missing.push(`${file}: ${m[1]}…`);
      for (const m of text.matchAll(/codeLabel\(\s*'([^']+)'/g)) if (!known(m[1]!)) missing.push(`${file}: ${m[1]}`);
      // Keys the pure helpers return for the page to translate.
      for (const m of text.matchAll(/'((?:audit\.decider|backtest)\.[A-Za-z]+)'/g))
        if (!known(m[1]!)) missing.push(`${file}: ${m[1]}`);
    }
    const page = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
    for (const m of page.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g))
      if (!known(m[1]!)) missing.push(`index.html: ${m[1]}`);
    expect(missing).toEqual([]);
  });

  it('writes no user-facing text in index.html: its words come from data-i18n attributes', () => {
    const page = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
    const body = page.slice(page.indexOf('<body>'));
    // Endonyms in the language menu, the brand and the key's format are the same in every language.
    const allowed = new Set(['Rapport', 'English', '简体中文']);
    const texts = [...body.matchAll(/>([^<]+)</g)]
      .map((m) => m[1]!.trim())
      .filter((text) => /\p{L}/u.test(text) && !allowed.has(text));
    expect(texts).toEqual([]);
    const attributes = [...body.matchAll(/\s(placeholder|aria-label|title|alt)="([^"]*)"/g)]
      .map((m) => m[2]!)
      .filter((v) => /\p{L}{3,}/u.test(v));
    expect(attributes).toEqual([]);
  });

  it('writes no user-facing text in any script: every string with letters is a key, a code, a CSS class, a URL or a data name', () => {
    const violations = sources
      .filter(({ file }) => file !== 'format.js')
      .flatMap(({ file, text }) => literalTexts(file, text));
    expect(violations).toEqual([]);
  });

  it('the check itself finds text in children, messages and titles, and passes keys, classes and paths', () => {
    const snippet = [
      "h('p', { class: 'muted small' }, 'No events yet.');",
      "unavailable(body, 'Nothing to show');",
      "h('td', { title: `${n} customers` }, t('common.loading'));",
      'getJson(`/audit/customers/${id}/history`);',
      "const COLUMNS = ['Can\\'t Lose Them'];",
      "if (status === 'kept on time') go();",
    ].join('\n');
    expect(literalTexts('snippet.js', snippet)).toEqual([
      'snippet.js:1: "No events yet."',
      'snippet.js:2: "Nothing to show"',
      'snippet.js:3: " customers"',
    ]);
  });

  it('serves every script and catalog it has (a page the server does not list would 404 in the browser)', () => {
    const listed = new Set<string>(CONSOLE_FILES);
    expect(sources.map((s) => s.file).filter((file) => !listed.has(file))).toEqual([]);
    expect(listed.has('locales/en.json') && listed.has('locales/zh-CN.json')).toBe(true);
  });
});

// Calls whose string arguments are code: DOM and storage names, API paths, selectors, keys, tag names.
const CODE_CALLS = new Set([
  't',
  'codeLabel',
  'h',
  'querySelector',
  'querySelectorAll',
  'getElementById',
  'addEventListener',
  'getItem',
  'setItem',
  'removeItem',
  'getAttribute',
  'setAttribute',
  'toggle',
  'get',
  'has',
  'set',
  'delete',
  'replace',
  'replaceAll',
  'split',
  'join',
  'startsWith',
  'endsWith',
  'includes',
  'test',
  'getJson',
  'getCsv',
  'getFile',
  'post',
  'navigate',
  'fetch',
  'request',
  'exists',
  'changeLanguage',
  'hasResourceBundle',
  'addResourceBundle',
  'createElement',
  'append',
  'toLocaleString',
  'go',
  'stored',
  'historyPath',
  'customerPath',
  'path',
  'hoursOf',
  'setCurrency',
  'setLanguage',
  'formatter',
  'warn',
]);
// Object properties whose values are code: attributes, CSS, chart options, Intl options, data fields.
const CODE_PROPS = new Set([
  'class',
  'type',
  'name',
  'href',
  'id',
  'role',
  'value',
  'download',
  'accept',
  'method',
  'step',
  'min',
  'max',
  'size',
  'style',
  'position',
  'indexAxis',
  'pointStyle',
  'cubicInterpolationMode',
  'yAxisID',
  'borderColor',
  'backgroundColor',
  'color',
  'background',
  'marginTop',
  'marginLeft',
  'marginRight',
  'display',
  'width',
  'height',
  'borderRadius',
  'verticalAlign',
  'whiteSpace',
  'borderLeftColor',
  'flex',
  'aria-selected',
  'data-outcome',
  'data-kpi',
  'data-driver',
  'data-step',
  'unit',
  'value',
  'count',
  'p90',
  'id',
  'driver',
  'step',
  'outcome',
  'lng',
  'fallbackLng',
  'autocomplete',
  'inputmode',
]);

/** The string parts of a script that read as text for people, outside every code position. */
function literalTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? node.text
        : ts.isTemplateExpression(node)
          ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('')
          : null;
    if (text !== null && /\p{L}/u.test(text) && !isCode(node, text))
      found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${JSON.stringify(text)}`);
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
    else node.templateSpans.forEach((span) => ts.forEachChild(span.expression, visit) ?? visit(span.expression));
  };
  visit(sf);
  return found;
}

const sf = (node: ts.Node): ts.SourceFile => node.getSourceFile();

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
}

function isCode(node: ts.Node, text: string): boolean {
  // One token with no space that looks like a key, class, path, type or identifier is code.
  if (/^[\w.\-/#:?&=%$[\]*,+@]*$/.test(text) && !/^[A-Z][a-z]+$/.test(text)) return true;
  if (/^(rgba?|hsla?)\(/.test(text)) return true; // a CSS colour
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return true;
    if (
      (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
      ((parent.arguments ?? []) as readonly ts.Node[]).includes(child)
    ) {
      const callee = calleeName(parent);
      // h(tag, attributes, ...children): the tag is code, the children are text.
      if (callee === 'h') return parent.arguments![0] === child;
      if (CODE_CALLS.has(callee)) return true;
      // Developer logs (console.warn, console.error) are not shown on the page.
      if (
        ts.isPropertyAccessExpression(parent.expression) &&
        ts.isIdentifier(parent.expression.expression) &&
        parent.expression.expression.text === 'console'
      )
        return true;
      // The catalog loader's own failures happen before any catalog exists.
      if (callee === 'Error' && sf(node).fileName === 'i18n.js') return true;
      continue; // map(), filter()…: what they return is judged where it goes
    }
    if (ts.isPropertyAssignment(parent)) {
      if (parent.name === child) return true;
      const name = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : '';
      return CODE_PROPS.has(name) || name.startsWith('data-');
    }
    if (
      ts.isBinaryExpression(parent) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        parent.operatorToken.kind,
      )
    )
      return true;
    if (ts.isCaseClause(parent) || ts.isElementAccessExpression(parent)) return true;
    // Constant tables (PAGES, SEGMENTS, STAGE_COLOURS…) hold codes.
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && /^[A-Z][A-Z0-9_]+$/.test(parent.name.text))
      return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) return false;
  }
  return false;
}
