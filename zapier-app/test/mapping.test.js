'use strict';

const { text, amount, compact, flattenConversion } = require('../lib/mapping');
const { paymentResult, refundResult } = require('../lib/results');

describe('mapped values', () => {
  it('trims text and turns numeric ids into text', () => {
    expect(text('  INV-1 ')).toBe('INV-1');
    expect(text(1001)).toBe('1001');
    expect(text('   ')).toBeUndefined();
    expect(text(null)).toBeUndefined();
  });

  it('passes amounts through for the server to read by its one rule', () => {
    expect(amount(250)).toBe(250);
    expect(amount(' $1,250.50 ')).toBe('$1,250.50');
    expect(amount('250,00')).toBe('250,00');
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

describe('results', () => {
  it("pass the server's reason through, and answer null (not missing) when it sends none", () => {
    const base = { outcome: 'below_minimum', matched: true, replayed: false, invoice_id: 'INV-1', payment_id: null, conversion: null };
    const reason = '20.00 is under the practice\'s minimum of 50.00 USD.';
    expect(paymentResult({ ...base, reason })).toMatchObject({ id: 'INV-1', reason, conversion_id: null, reward_held_until: null });
    const without = paymentResult(base);
    expect(without).toHaveProperty('reason', null);
    expect(without).toHaveProperty('reward_code', null);
  });

  it("say whether a refund matched a conversion, and keep the server's own answer when it gives one", () => {
    const base = { outcome: 'no_conversion', replayed: false, invoice_id: 'INV-1', refund_id: 'RF-1', conversion: null };
    expect(refundResult(base)).toMatchObject({ id: 'INV-1/RF-1', matched: false, reason: null });
    expect(refundResult({ ...base, outcome: 'reversed', conversion: { id: 'cnv_1', reward: { held_until: null } } })).toMatchObject({ matched: true, conversion_id: 'cnv_1' });
    expect(refundResult({ ...base, matched: true })).toMatchObject({ matched: true });
  });
});
