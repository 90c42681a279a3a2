import 'reflect-metadata';
import { IsString, validateSync } from 'class-validator';
import { compiledDtoCheck } from './compiled-dto-validator';
import { dtoJsonSchema } from './dto-json-schema';
import { MayBeAbsent, namedRule } from './named-rules';

const calls: unknown[] = [];
const Shouting = namedRule<number>(
  'testShouting',
  (value, min) => {
    calls.push(value);
    return typeof value === 'string' && value.length >= min && value === value.toUpperCase();
  },
  (min) => `must be at least ${min} capitals`,
  (min) => ({ type: 'string', minLength: min }),
);

class Note {
  @MayBeAbsent()
  @IsString()
  @Shouting(2)
  text?: string;
}

const classValidator = (value: object): string[] =>
  validateSync(Object.assign(new Note(), value))
    .flatMap((e) => Object.keys(e.constraints ?? {}))
    .sort();

describe('named rules', () => {
  it('given a rule calling a function, then ajv calls that same function and OpenAPI states its documented part', () => {
    const check = compiledDtoCheck(Note) as (value: unknown) => boolean;
    calls.length = 0;
    expect([check({ text: 'OK' }), check({ text: 'ok' }), check({ text: 'O' })]).toEqual([true, false, false]);
    expect(calls).toEqual(expect.arrayContaining(['OK', 'ok']));
    expect(dtoJsonSchema(Note)['properties']).toEqual({
      text: { type: 'string', minLength: 2, 'x-class-validator': { rule: 'testShouting', constraints: [2] } },
    });
    expect(classValidator({ text: 'ok' })).toEqual(['testShouting']);
  });

  it('given @MayBeAbsent, then absent skips the rules and null meets them, in both validators', () => {
    const check = compiledDtoCheck(Note) as (value: unknown) => boolean;
    expect([check({}), check({ text: null })]).toEqual([true, false]);
    expect(classValidator({})).toEqual([]);
    expect(classValidator({ text: null })).toEqual(['isString', 'testShouting']);
  });

  it('refuses a second rule of the same name', () => {
    expect(() =>
      namedRule(
        'testShouting',
        () => true,
        () => '',
        () => ({}),
      ),
    ).toThrow('declared twice');
  });
});
