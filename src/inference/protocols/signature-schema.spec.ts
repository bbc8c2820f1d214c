import { signatureToJsonSchema } from './signature-schema';

describe('signatureToJsonSchema', () => {
  it('maps each feature type, nullability and categories', () => {
    const schema = signatureToJsonSchema(
      {
        features: [
          { name: 'Age', type: 'integer', nullable: false },
          { name: 'Income', type: 'number', nullable: true },
          { name: 'Home', type: 'category', nullable: false, categories: ['rent', 'owner'] },
          { name: 'Flag', type: 'boolean', nullable: false },
        ],
        target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
      },
      'credit v1',
    );
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['Age', 'Home', 'Flag'],
      properties: {
        Age: { type: 'integer' },
        Income: { type: ['number', 'null'] },
        Home: { type: ['string', 'number'], examples: ['rent', 'owner'] },
        Flag: { type: 'boolean' },
      },
    });
  });
});
