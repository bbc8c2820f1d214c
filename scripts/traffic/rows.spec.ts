import { signatureToJsonSchema } from '../../src/inference/protocols/signature-schema';
import type { BundleSignature } from '../../src/ml/bundle';
import { parseRows, rowCycle } from './rows';
import { signatureOf, type ServedSignature } from './signature';

const BUNDLE: BundleSignature = {
  features: [
    { name: 'Age', type: 'integer', nullable: false },
    { name: 'Income', type: 'number', nullable: true },
    { name: 'Home', type: 'category', nullable: false, categories: ['rent', 'owner'] },
    { name: 'Flag', type: 'boolean', nullable: true },
    { name: 'Note', type: 'text', nullable: true },
  ],
  target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
};

/** What GET /models/credit/schema answers for that signature (the endpoint's own conversion). */
function served(bundle: BundleSignature = BUNDLE): ServedSignature {
  return signatureOf({
    model: 'credit',
    version: 2,
    alias: 'production',
    inputSchema: signatureToJsonSchema(bundle, 'credit v2 features') as any,
    target: bundle.target,
  });
}

describe('signatureOf (the schema endpoint read back)', () => {
  it('recovers each feature kind, nullability and the categories, and the target', () => {
    expect(served()).toEqual({
      model: 'credit',
      version: 2,
      alias: 'production',
      features: [
        { name: 'Age', kind: 'integer', nullable: false },
        { name: 'Income', kind: 'number', nullable: true },
        { name: 'Home', kind: 'category', nullable: false, categories: ['rent', 'owner'] },
        { name: 'Flag', kind: 'boolean', nullable: true },
        { name: 'Note', kind: 'text', nullable: true },
      ],
      target: { name: 'Status', task: 'binary', classes: ['bad', 'good'] },
    });
  });
});

describe('parseRows', () => {
  const csv = [
    '"Status","Extra","Age","Income","Home","Flag","Note"',
    '"good",1,30,129,"rent",true,"a, b"',
    '"bad",2,46,NA,"owner",,x',
    'NA,3,24,182,"rent",false,y', // no label: left out
    '"good",4,NA,100,"rent",true,z', // Age may not be missing
    '"good",5,30.5,100,"rent",true,z', // Age must be whole
    '"bad",6,52,abc,"rent",true,z', // Income is not a number
    '"good",7,41,120,"castle",TRUE,w', // an unseen category is the model's to accept
  ].join('\n');

  it('types the cells as the signature says, keeps only its features, leaves out what it would refuse', () => {
    const set = parseRows('credit.csv', csv, served());
    expect(set.skipped).toBe(4);
    expect(set.rows).toEqual([
      { features: { Age: 30, Income: 129, Home: 'rent', Flag: true, Note: 'a, b' }, label: 'good' },
      { features: { Age: 46, Income: null, Home: 'owner', Flag: null, Note: 'x' }, label: 'bad' },
      { features: { Age: 41, Income: 120, Home: 'castle', Flag: true, Note: 'w' }, label: 'good' },
    ]);
    // Sample standard deviation, missing values left out.
    expect(set.stats.Age.mean).toBeCloseTo(39, 10);
    expect(set.stats.Age.sd).toBeCloseTo(Math.sqrt(((30 - 39) ** 2 + (46 - 39) ** 2 + (41 - 39) ** 2) / 2), 10);
    expect(set.stats.Income).toEqual({ mean: 124.5, sd: Math.sqrt(40.5) });
    expect(Object.keys(set.stats)).toEqual(['Age', 'Income']);
  });

  it('reads a regression target as a number', () => {
    const bundle: BundleSignature = {
      features: [{ name: 'Age', type: 'integer', nullable: false }],
      target: { name: 'Price', type: 'number', task: 'regression' },
    };
    const set = parseRows('x.csv', 'Age,Price\n30,12.5\n31,NA\n32,cheap', served(bundle));
    expect(set.rows).toEqual([{ features: { Age: 30 }, label: 12.5 }]);
    expect(set.skipped).toBe(2);
  });

  it('names a column the file lacks, and a file without a usable row', () => {
    expect(() => parseRows('x.csv', 'Age,Status\n30,good', served())).toThrow(
      /x\.csv has no column Income, which credit needs/,
    );
    expect(() => parseRows('x.csv', 'Status,Age,Income,Home,Flag,Note\nNA,1,1,a,true,b', served())).toThrow(
      /x\.csv has no row that credit v2 accepts/,
    );
  });
});

describe('rowCycle', () => {
  it('replays every row once per pass, in a new seeded order each pass', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ features: { Age: i }, label: 'good' }));
    const next = rowCycle(rows, 7);
    const pass = () => Array.from({ length: 10 }, () => next().features.Age);
    const [a, b] = [pass(), pass()];
    expect([...a].sort((x, y) => Number(x) - Number(y))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...b].sort((x, y) => Number(x) - Number(y))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a).not.toEqual(b);
    const again = rowCycle(rows, 7);
    expect(Array.from({ length: 10 }, () => again().features.Age)).toEqual(a);
  });
});
