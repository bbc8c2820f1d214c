import type { BundleSignature } from '../../ml';
import { readV2Request, v2Inputs, v2Outputs } from './v2-protocol';

const signature: BundleSignature = {
  features: [
    { name: 'Age', type: 'integer', nullable: false },
    { name: 'Home', type: 'category', nullable: false, categories: ['rent', 'owner'] },
    { name: 'Flag', type: 'boolean', nullable: true },
  ],
  target: { name: 'Status', type: 'category', task: 'binary', classes: ['bad', 'good'], positiveClass: 'good' },
};

describe('Open Inference v2 mapping', () => {
  it('declares one tensor per feature with its datatype', () => {
    expect(v2Inputs(signature)).toEqual([
      { name: 'Age', datatype: 'INT64', shape: [-1] },
      { name: 'Home', datatype: 'BYTES', shape: [-1] },
      { name: 'Flag', datatype: 'BOOL', shape: [-1] },
    ]);
  });

  it('turns tensors into records (optional features may be left out)', () => {
    const input = readV2Request(
      {
        inputs: [
          { name: 'Age', datatype: 'INT64', shape: [2], data: [30, 40] },
          { name: 'Home', datatype: 'BYTES', shape: [2, 1], data: [['rent'], ['owner']] },
        ],
      },
      signature,
      10,
    );
    expect(input.records.map((r) => ({ ...(r as object) }))).toEqual([
      { Age: 30, Home: 'rent' },
      { Age: 40, Home: 'owner' },
    ]);
    expect(input.field!(1, 'Age')).toBe('inputs[Age].data[1]');
  });

  it('refuses wrong datatypes, shapes, unknown and missing tensors, one detail each', () => {
    try {
      readV2Request(
        {
          inputs: [
            { name: 'Age', datatype: 'BYTES', shape: [1], data: ['x'] },
            { name: 'X', datatype: 'FP64', shape: [1], data: [1] },
            { name: 'Flag', datatype: 'BOOL', shape: [3], data: [true] },
          ],
        },
        signature,
        10,
      );
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
        'inputs[Age].datatype',
        'inputs[X]',
        'inputs[Flag].data',
        'inputs[Home]',
      ]);
    }
  });

  it('answers label [n], probabilities [n, k] row-major in class order, and prediction ids', () => {
    const out = v2Outputs(signature, [
      {
        predictionId: 'a',
        label: 'good',
        probabilities: { bad: 0.25, good: 0.75 },
        unknownCategories: [],
        model: 'm',
        version: 1,
        alias: null,
      },
      {
        predictionId: 'b',
        label: 'bad',
        probabilities: { bad: 0.5, good: 0.5 },
        unknownCategories: [],
        model: 'm',
        version: 1,
        alias: null,
      },
    ]);
    expect(out).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [2], data: ['good', 'bad'] },
      {
        name: 'probabilities',
        datatype: 'FP32',
        shape: [2, 2],
        data: [0.25, 0.75, 0.5, 0.5],
        parameters: { classes: 'bad,good' },
      },
      { name: 'prediction_id', datatype: 'BYTES', shape: [2], data: ['a', 'b'] },
    ]);
  });
});
