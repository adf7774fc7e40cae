import { describe, expect, it } from 'vitest';
import { checkConfig, snakeToCamel, suggestKey } from '../../src/layers/config_check.js';

describe('checkConfig', () => {
  it('passes known keys and null configs', () => {
    expect(() => checkConfig('fit', { epochs: 1, batchSize: 2 }, ['epochs', 'batchSize'])).not.toThrow();
    expect(() => checkConfig('fit', undefined as unknown as object, ['epochs'])).not.toThrow();
  });
  it('names the key, the place and the camelCase spelling', () => {
    expect(() => checkConfig('lstm_1 (LSTM)', { return_sequences: true }, ['units', 'returnSequences']))
      .toThrow(/^lstm_1 \(LSTM\): unknown option 'return_sequences' \(did you mean 'returnSequences'\?\)/);
    expect(() => checkConfig('fit', { batch_size: 3 }, ['batchSize'])).toThrow(/'batchSize'/);
    expect(() => checkConfig('adam', { lr: 0.1 }, ['learningRate'])).toThrow(/did you mean 'learningRate'/);
    expect(() => checkConfig('fit', { epoch: 3 }, ['epochs', 'verbose'])).toThrow(/did you mean 'epochs'/);
    expect(() => checkConfig('fit', { zzz: 3 }, ['epochs'])).toThrow(/unknown option 'zzz'; known options: epochs$/);
  });
  it('counts keys set to undefined and rejects non-objects', () => {
    expect(() => checkConfig('dense', { input_shape: undefined }, ['inputShape'])).toThrow(/inputShape/);
    expect(() => checkConfig('fit', 'abc' as unknown as object, ['epochs'])).toThrow(/^fit: expected a config object, got the string 'abc'/);
  });
  it('converts snake_case', () => {
    expect(snakeToCamel('beta_1')).toBe('beta1');
    expect(snakeToCamel('recurrent_dropout')).toBe('recurrentDropout');
    expect(suggestKey('abcdef', ['units'])).toBeUndefined();
  });
});
