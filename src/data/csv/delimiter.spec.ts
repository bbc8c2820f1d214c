import { delimiterHint } from './delimiter';

describe('delimiterHint', () => {
  it.each([
    ['"id";"score";"grade"', /semicolon \(;\)-separated/],
    ['id\tscore\tgrade', /tab-separated/],
    ['id|score', /pipe \(\|\)-separated/],
    ['"a,b";c;d;e', /semicolon/], // more semicolons than commas
  ])('names the delimiter of %j', (line, hint) => {
    expect(delimiterHint(line)).toMatch(hint);
  });

  it.each([['id,score,grade'], ['name'], ['"note; with a semicolon",b,c'], ['']])(
    'says nothing of a comma-separated or one-column line %j',
    (line) => {
      expect(delimiterHint(line)).toBeNull();
    },
  );
});
