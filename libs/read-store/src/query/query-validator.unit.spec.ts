import { InvalidQueryError } from '../errors';
import { validateFilter, validateFindQuery } from './query-validator';

describe('query validator', () => {
  const rejects = (query: unknown, message: RegExp): void => {
    expect(() => validateFindQuery(query)).toThrow(InvalidQueryError);
    expect(() => validateFindQuery(query)).toThrow(message);
  };

  it('accepts the language and returns it unchanged', () => {
    const filter = {
      or: [
        { field: 'a.b', eq: 1 },
        { field: 'c', gte: 1, lt: 5 },
        { field: 'd', in: ['x', null] },
        { field: 'e', exists: false },
      ],
    };
    expect(validateFilter(filter)).toEqual(filter);
    expect(validateFindQuery({})).toEqual({ sort: [], limit: 50 });
  });

  it('names the offending path', () => {
    rejects({ filter: { $where: 'x' } }, /^filter: must have "and", "or" or "field"/);
    rejects({ filter: { field: 'a', $regex: '.*' } }, /^filter\.\$regex: unknown operator/);
    rejects(
      {
        filter: {
          and: [
            { field: 'a', eq: 1 },
            { field: 'b', eq: [1] },
          ],
        },
      },
      /^filter\.and\[1\]\.eq:/,
    );
    rejects({ filter: { or: [] } }, /^filter\.or: must be a non-empty array/);
    rejects({ filter: { field: 'a', eq: 1, ne: 2 } }, /one operator per condition/);
    rejects({ filter: { field: 'a', gt: 1, lt: 'z' } }, /filter\.lt: range bounds must all be numbers or all strings/);
    rejects({ filter: { field: '__proto__', eq: 1 } }, /^filter\.field:/);
    rejects({ filter: { field: 'a..b', eq: 1 } }, /^filter\.field:/);
    rejects({ filter: { field: 'a', in: [{ $ne: 1 }] } }, /^filter\.in\[0\]:/);
    rejects({ filter: { field: 'a', eq: Number.NaN } }, /^filter\.eq:/);
    rejects({ limit: 0 }, /^limit:/);
    rejects({ limit: 5000 }, /^limit:/);
    rejects({ sort: [{ field: 'a', direction: 'up' }] }, /^sort\[0\]\.direction/);
    rejects({ where: {} }, /^where: unknown key/);
  });

  it('refuses deep nesting', () => {
    let filter: unknown = { field: 'a', eq: 1 };
    for (let i = 0; i < 12; i++) filter = { and: [filter] };
    expect(() => validateFilter(filter)).toThrow(/nesting deeper/);
  });
});
