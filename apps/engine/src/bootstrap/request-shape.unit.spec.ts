import { requestShapeProblems } from './request-shape';

describe('requestShapeProblems', () => {
  it('given 5,000 levels of nesting, names the body depth without overflowing the stack', () => {
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 5000; i += 1) deep = { a: deep };
    expect(requestShapeProblems(deep)).toEqual([expect.objectContaining({ field: 'body', rule: 'max_depth' })]);
  });

  it('refuses prototype and constructor keys wherever they are, as unknown fields', () => {
    const parsed = JSON.parse('{"name":"x","prototype":{"a":1},"lines":[{"constructor":1}]}') as unknown;
    expect(
      requestShapeProblems(parsed)
        .map((p) => `${p.field}:${p.rule}`)
        .sort(),
    ).toEqual(['lines.0.constructor:unknown_field', 'prototype:unknown_field']);
  });

  it('passes a DTO-shaped body', () => {
    expect(
      requestShapeProblems({ orderId: 'o', lines: [{ sku: 'a', quantity: 1 }], demographics: { ageBand: '25-34' } }),
    ).toEqual([]);
  });
});
