import { decide, evolve, initialState } from '@rapport/domain/customer';
import type { CustomerCommand, CustomerEvent } from '@rapport/domain';
import { parseCdnow } from './cdnow-parser';
import { csvKindOf, parseCsv } from './csv-parser';
import { detectFormat } from './detect-format';
import type { ImportItem } from './import-item';
import { parseNdjson } from './ndjson-parser';

const collect = async (items: AsyncIterable<ImportItem>) => {
  const out: ImportItem[] = [];
  for await (const item of items) out.push(item);
  return out;
};
const commandsOf = (items: ImportItem[]) => items.flatMap((i) => ('touchpoint' in i ? [i.touchpoint.command] : []));
/** A CSV file's text as a reader hands it over: in chunks that cut through lines and quoted fields. */
const csvText = (lines: string[], chunkSize = 7): string[] => {
  const text = lines.join('\n') + '\n';
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  return chunks;
};
const errorsOf = (items: ImportItem[]) =>
  items.flatMap((i) => ('error' in i ? [{ line: i.line, error: i.error }] : []));

describe('parseCdnow', () => {
  const master = [
    ' customer_id  date number_of_cds  dollar_value',
    ' 00001 19970101  1   11.77',
    ' 00002 19970112  1   12.00',
    ' 00002 19970112  5   77.00',
    ' 00002 19970305  3   10.00',
  ];

  it('registers each customer at its first purchase and records one purchase per line', async () => {
    const items = await collect(parseCdnow(master));
    const commands = commandsOf(items);
    expect(commands.map((c) => c.type)).toEqual([
      'RegisterCustomer',
      'RecordPurchase',
      'RegisterCustomer',
      'RecordPurchase',
      'RecordPurchase',
      'RecordPurchase',
    ]);
    expect(commands[2]).toMatchObject({ customerId: '00002', occurredAt: '1997-01-12T00:00:00.000Z' });
    expect(items[0]!.line).toBe(2);
  });

  it('derives order ids from customer, date and rank on that date, so the same file gives the same ids', async () => {
    const ids = commandsOf(await collect(parseCdnow(master))).flatMap((c) =>
      c.type === 'RecordPurchase' ? [c.orderId] : [],
    );
    expect(ids).toEqual([
      'cdnow-00001-19970101-1',
      'cdnow-00002-19970112-1',
      'cdnow-00002-19970112-2',
      'cdnow-00002-19970305-1',
    ]);
    const again = commandsOf(await collect(parseCdnow(master))).flatMap((c) =>
      c.type === 'RecordPurchase' ? [c.orderId] : [],
    );
    expect(again).toEqual(ids);
  });

  it('splits the value over the CDs in whole cents so that the decider accepts the total', async () => {
    const commands = commandsOf(await collect(parseCdnow(master))) as CustomerCommand[];
    let state = initialState();
    for (const command of commands.filter((c) => c.customerId === '00002')) {
      const events = decide(command, state);
      expect(events).toHaveLength(1);
      state = events.reduce(
        (s, e) => evolve(s, { ...e, metadata: { occurredAt: command.occurredAt } } as CustomerEvent),
        state,
      );
    }
    const purchase = commands.find((c) => c.type === 'RecordPurchase' && c.orderId === 'cdnow-00002-19970305-1');
    expect(purchase).toMatchObject({
      total: 10,
      lines: [
        { quantity: 2, unitPrice: 3.33 },
        { quantity: 1, unitPrice: 3.34 },
      ],
    });
  });

  it('reads the sample layout (customer_id sample_id date cds dollars, no header)', async () => {
    const commands = commandsOf(await collect(parseCdnow([' 00004 0001 19970101  2   29.33'])));
    expect(commands[1]).toMatchObject({
      type: 'RecordPurchase',
      customerId: '00004',
      orderId: 'cdnow-00004-19970101-1',
      total: 29.33,
    });
  });

  it('reports a bad line with its number and reason, and goes on', async () => {
    const items = await collect(
      parseCdnow([
        ...master.slice(0, 2),
        ' 00003 19971341 1 5.00',
        ' 00003 19970201 x 5.00',
        ' 00003 19970202 1',
        ...master.slice(2),
      ]),
    );
    expect(errorsOf(items)).toEqual([
      { line: 3, error: expect.stringContaining('date must be a calendar date') },
      { line: 4, error: expect.stringContaining('number_of_cds') },
      { line: 5, error: expect.stringContaining('expected 4 columns') },
    ]);
    expect(commandsOf(items)).toHaveLength(6);
  });
});

describe('parseNdjson', () => {
  it('reads one command per line and derives a stable idempotency key when none is given', async () => {
    const line =
      '{"type":"RecordPurchase","customerId":"c1","occurredAt":"2024-01-02T00:00:00Z","orderId":"o1","lines":[{"sku":"A","category":"tea","quantity":1,"unitPrice":5}],"total":5,"currency":"CNY"}';
    const [first] = await collect(parseNdjson([line]));
    const [second] = await collect(parseNdjson([line]));
    expect(first).toMatchObject({ line: 1, touchpoint: { command: { type: 'RecordPurchase', orderId: 'o1' } } });
    expect(first).toEqual(second);
  });

  it('keeps a given idempotency key and channel out of the command', async () => {
    const [item] = await collect(
      parseNdjson([
        '{"type":"LogCall","customerId":"c1","occurredAt":"2024-01-02T00:00:00Z","idempotencyKey":"k1","channel":"phone"}',
      ]),
    );
    expect(item).toMatchObject({ touchpoint: { idempotencyKey: 'k1', channel: 'phone' } });
    expect((item as { touchpoint: { command: object } }).touchpoint.command).not.toHaveProperty('idempotencyKey');
  });

  it('reports lines that are not JSON objects or name no known command', async () => {
    const items = await collect(
      parseNdjson([
        '{bad',
        '',
        '[1]',
        '{"type":"Nope","customerId":"c1","occurredAt":"2024-01-01"}',
        '{"type":"LogCall","occurredAt":"2024-01-01"}',
      ]),
    );
    expect(errorsOf(items)).toEqual([
      { line: 1, error: expect.stringContaining('not valid JSON') },
      { line: 3, error: 'a line must be a JSON object' },
      { line: 4, error: expect.stringContaining('type must be one of') },
      { line: 5, error: expect.stringContaining('customerId is required') },
    ]);
  });
});

describe('parseCsv', () => {
  it('maps columns to the command fields, numbers included, and a purchase row to one line', async () => {
    const items = await collect(
      parseCsv(
        csvText([
          'customerId,occurredAt,orderId,sku,category,quantity,unitPrice,currency,channel',
          'c1,2024-01-02T10:00:00Z,o1,TEA-1,tea,2,34.5,CNY,store',
        ]),
        'RecordPurchase',
      ),
    );
    expect(items).toEqual([
      {
        line: 2,
        touchpoint: {
          command: {
            type: 'RecordPurchase',
            customerId: 'c1',
            occurredAt: '2024-01-02T10:00:00Z',
            orderId: 'o1',
            currency: 'CNY',
            total: 69,
            lines: [{ sku: 'TEA-1', category: 'tea', quantity: 2, unitPrice: 34.5 }],
          },
          idempotencyKey: expect.stringMatching(/^csv-/),
          channel: 'store',
        },
      },
    ]);
  });

  it('fills demographics for registrations and handles quoted fields', async () => {
    const items = await collect(
      parseCsv(
        csvText([
          'customerId,occurredAt,name,acquisitionChannel,acquisitionCost,region,city,ageBand',
          'c1,2024-01-01T00:00:00Z,"Wang, Li",search,12.5,East,Shanghai,25-34',
        ]),
        'RegisterCustomer',
      ),
    );
    expect(commandsOf(items)[0]).toMatchObject({
      name: 'Wang, Li',
      acquisitionCost: 12.5,
      demographics: { ageBand: '25-34' },
    });
  });

  it('reports rows with a wrong field count or a non-numeric number, with their line numbers', async () => {
    const items = await collect(
      parseCsv(
        csvText([
          'customerId,occurredAt,surveyId,kind,score',
          'c1,2024-01-01T00:00:00Z,s1,nps',
          'c1,2024-01-01T00:00:00Z,s2,nps,ten',
          'c1,2024-01-01T00:00:00Z,s3,nps,9',
        ]),
        'RecordSurveyResponse',
      ),
    );
    expect(errorsOf(items)).toEqual([
      { line: 2, error: 'expected 5 fields as in the header, found 4' },
      { line: 3, error: 'score must be a number, found "ten"' },
    ]);
    expect(commandsOf(items)).toEqual([
      {
        type: 'RecordSurveyResponse',
        customerId: 'c1',
        occurredAt: '2024-01-01T00:00:00Z',
        surveyId: 's3',
        kind: 'nps',
        score: 9,
      },
    ]);
  });

  it('tells the kind from --kind or the file name', () => {
    expect(csvKindOf('data/purchases-2024.csv')).toBe('RecordPurchase');
    expect(csvKindOf('x.csv', 'LogCall')).toBe('LogCall');
    expect(csvKindOf('record-survey-response.csv')).toBe('RecordSurveyResponse');
    expect(() => csvKindOf('data.csv')).toThrow(/--kind/);
  });

  it('given quoted line breaks (notes, addresses), then each row is one command numbered by its first line', async () => {
    const items = await collect(
      parseCsv(
        csvText([
          'customerId,occurredAt,callId,direction,durationSeconds,agentId,topic,outcome,notes',
          'c1,2024-01-01T00:00:00Z,k1,inbound,60,a1,billing,resolved,"first line',
          'second line, with a comma and ""quotes""',
          'third line"',
          'c2,2024-01-02T00:00:00Z,k2,outbound,30,a1,billing,resolved,plain',
        ]),
        'LogCall',
      ),
    );
    expect(items.map((i) => i.line)).toEqual([2, 5]);
    expect(commandsOf(items).map((c) => (c as { notes?: string }).notes)).toEqual([
      'first line\nsecond line, with a comma and "quotes"\nthird line',
      'plain',
    ]);
  });

  it('given a quote left open, then the rows before it are read and the open quote is reported', async () => {
    const items = await collect(
      parseCsv(
        csvText(['customerId,occurredAt,surveyId,kind,score', 'c1,2024-01-01T00:00:00Z,s1,nps,9', 'c1,"2024']),
        'RecordSurveyResponse',
      ),
    );
    expect(commandsOf(items)).toHaveLength(1);
    expect(errorsOf(items)).toEqual([
      { line: expect.any(Number), error: expect.stringContaining('unterminated quoted field') },
    ]);
  });
});

describe('detectFormat', () => {
  it('goes by extension, then by content', () => {
    expect(detectFormat('x.ndjson', '')).toBe('ndjson');
    expect(detectFormat('x.csv', '')).toBe('csv');
    expect(detectFormat('CDNOW_master.txt', ' customer_id  date number_of_cds  dollar_value')).toBe('cdnow');
    expect(detectFormat('CDNOW_sample.txt', ' 00004 0001 19970101  2   29.33')).toBe('cdnow');
    expect(detectFormat('x.txt', '{"type":"LogCall"}')).toBe('ndjson');
    expect(() => detectFormat('x.bin', 'hello')).toThrow(/--format/);
  });
});
