import { dataColumn, datasetTableName, qualifiedTable, quoteIdent, quoteLiteral } from './identifiers';

describe('quoteIdent', () => {
  it('doubles embedded quotes so a name cannot close its quotes', () => {
    expect(quoteIdent('x"; DROP TABLE users; --')).toBe('"x""; DROP TABLE users; --"');
  });
  it('keeps unicode and spaces inside the quotes', () => {
    expect(quoteIdent('âge moyen 😀')).toBe('"âge moyen 😀"');
  });
  it('refuses empty, NUL and names over 63 bytes instead of letting PostgreSQL truncate them', () => {
    expect(() => quoteIdent('')).toThrow(/empty/);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(quoteIdent('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`);
    expect(() => quoteIdent('a'.repeat(64))).toThrow(/63/);
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/63/); // 64 bytes in UTF-8
  });
});

describe('quoteLiteral', () => {
  it('doubles single quotes', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(() => quoteLiteral('\0')).toThrow();
  });
});

describe('internal names', () => {
  it('derives the table name from the uuid only', () => {
    expect(datasetTableName('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('ds_0f8fad5bd9cb469fa16570867728950e');
    expect(() => datasetTableName('credit"; --')).toThrow(/uuid/);
    expect(qualifiedTable('ds_1')).toBe('"data"."ds_1"');
  });
  it('numbers columns from c1', () => {
    expect(dataColumn(0)).toBe('c1');
    expect(dataColumn(62)).toBe('c63');
    expect(() => dataColumn(-1)).toThrow();
  });
});
