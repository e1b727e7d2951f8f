'use strict';

const { text, amount, compact, flattenConversion } = require('../lib/mapping');

describe('mapped values', () => {
  it('trims text and turns numeric ids into text', () => {
    expect(text('  INV-1 ')).toBe('INV-1');
    expect(text(1001)).toBe('1001');
    expect(text('   ')).toBeUndefined();
    expect(text(null)).toBeUndefined();
  });

  it('reads amounts the way a point of sale shows them, and leaves the rest to the server', () => {
    expect(amount(250)).toBe(250);
    expect(amount('250')).toBe('250');
    expect(amount(' $250.00 ')).toBe('250.00');
    expect(amount('$1,250.50')).toBe('1250.50');
    expect(amount('USD 250.00')).toBe('250.00');
    expect(amount('250.00 USD')).toBe('250.00');
    expect(amount('250,00')).toBe('250,00');
    expect(amount('-5')).toBe('-5');
    expect(amount('')).toBeUndefined();
  });

  it('drops fields the Zap left empty', () => {
    expect(compact({ a: 'x', b: undefined, c: 0 })).toEqual({ a: 'x', c: 0 });
  });

  it('flattens a conversion for mapping, with nulls when there is none', () => {
    expect(flattenConversion(null)).toMatchObject({ conversion_id: null, reward_code: null });
    expect(flattenConversion({ id: 'cnv_1', reward: { code: 'AL-1' } })).toMatchObject({
      conversion_id: 'cnv_1',
      reward_code: 'AL-1',
      advocate_name: null,
    });
  });
});
