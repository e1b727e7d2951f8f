'use strict';

// The app definition, checked offline: Zapier's own schema validation of the compiled app, and
// a walk over every operation enforcing the publishing checks listed in README.md.

const schemaTools = require('zapier-platform-core/src/tools/schema');
const { App } = require('./support/context');

const TRIGGERS = {
  new_advocate: 'advocate.created',
  new_referral: 'referral.created',
  new_conversion: 'conversion.recorded',
  conversion_reversed: 'conversion.reversed',
  reward_issued: 'reward.issued',
  reward_redeemed: 'reward.redeemed',
};
// Hidden polling triggers that fill dynamic dropdowns.
const DROPDOWNS = ['advocate_list', 'reward_list'];
const CREATES = ['record_conversion', 'reverse_conversion', 'create_advocate', 'create_referral', 'redeem_reward'];
const SEARCHES = ['find_advocate', 'find_referral', 'find_conversion', 'find_reward'];

const MINOR_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'per', 'the', 'to', 'via', 'with']);
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOOKS_LIKE_DATE = /^\d{4}-\d{2}-\d{2}/;
const SECRET_NAME = /api[\s_-]*key|token|secret|password|passwd/i;

// titleCaseProblems lists the words of a label that break title case.
const titleCaseProblems = (label) =>
  label
    .split(/\s+/)
    .map((word) => word.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''))
    .filter((word, i) => word && /^[A-Za-z]/.test(word) && !(i > 0 && MINOR_WORDS.has(word)) && word[0] !== word[0].toUpperCase());

const operations = () => [
  ...Object.entries(App.triggers).map(([key, def]) => ['trigger', key, def]),
  ...Object.entries(App.creates).map(([key, def]) => ['create', key, def]),
  ...Object.entries(App.searches).map(([key, def]) => ['search', key, def]),
];

// valueAt reads a Zapier output key, where "a__b" means a.b.
const valueAt = (sample, key) =>
  key.split('__').reduce((obj, part) => (obj !== null && typeof obj === 'object' && part in obj ? obj[part] : undefined), sample);

const hasPath = (sample, key) => {
  const parts = key.split('__');
  const parent = parts.slice(0, -1).reduce((obj, part) => (obj && typeof obj === 'object' ? obj[part] : undefined), sample);
  return parent !== null && typeof parent === 'object' && parts[parts.length - 1] in parent;
};

const typeProblems = (type, value) => {
  if (value === null) return [];
  switch (type || 'string') {
    case 'string':
      return typeof value === 'string' ? [] : [`is ${typeof value}, not a string`];
    case 'number':
      return typeof value === 'number' ? [] : [`is ${typeof value}, not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`is ${value}, not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`is ${typeof value}, not a boolean`];
    case 'datetime':
      return typeof value === 'string' && ISO_WITH_ZONE.test(value) ? [] : [`is ${value}, not an ISO-8601 time with zone`];
    default:
      return [];
  }
};

// allStrings yields every string in a sample with its path.
function* allStrings(value, path = []) {
  if (typeof value === 'string') yield [path.join('.'), value];
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* allStrings(v, [...path, k]);
  }
}

describe("Zapier's schema validation", () => {
  it('finds zero errors in the compiled app', () => {
    const errors = schemaTools.validateApp(schemaTools.compileApp(App));
    expect(errors).toEqual([]);
  });

  it('assembles the version from package.json and the platform version from zapier-platform-core', () => {
    expect(App.version).toBe(require('../package.json').version);
    expect(App.platformVersion).toBe(require('zapier-platform-core').version);
    expect(App.platformVersion).toBe('19.1.0');
    expect(require('../package.json').dependencies['zapier-platform-core']).toBe('19.1.0');
    expect(require('../package-lock.json').packages['node_modules/zapier-platform-core'].version).toBe('19.1.0');
  });
});

describe('the checks themselves', () => {
  it('catch what they are meant to catch', () => {
    expect(titleCaseProblems('Invoice id or number')).toEqual(['id', 'number']);
    expect(titleCaseProblems('Find or Create Advocate')).toEqual([]);
    expect(titleCaseProblems('Amount Paid / Total')).toEqual([]);
    expect(ISO_WITH_ZONE.test('2026-11-23T14:05:00Z')).toBe(true);
    expect(ISO_WITH_ZONE.test('2026-11-23T09:05:00.123-05:00')).toBe(true);
    expect(ISO_WITH_ZONE.test('2026-11-23T14:05:00')).toBe(false);
    expect(ISO_WITH_ZONE.test('2026-11-23')).toBe(false);
    expect(typeProblems('boolean', 'false')).toHaveLength(1);
    expect(hasPath({ data: { reward: null } }, 'data__reward')).toBe(true);
    expect(hasPath({ data: {} }, 'data__reward__code')).toBe(false);
    expect(valueAt({ data: { reward: { code: 'AL-1' } } }, 'data__reward__code')).toBe('AL-1');
    expect('Your API Key').toMatch(SECRET_NAME);
    expect('api_key').toMatch(SECRET_NAME);
  });
});

describe('publishing checks', () => {
  it('has exactly the triggers, creates and searches of the product', () => {
    expect(Object.keys(App.triggers).sort()).toEqual([...Object.keys(TRIGGERS), ...DROPDOWNS].sort());
    expect(Object.keys(App.creates).sort()).toEqual([...CREATES].sort());
    expect(Object.keys(App.searches)).toEqual(SEARCHES);
  });

  it('authenticates with an API key and a server address, both explained, and labels the connection', async () => {
    const auth = App.authentication;
    expect(auth.type).toBe('custom');
    expect(typeof auth.test).toBe('function');
    expect(auth.connectionLabel).toBeDefined();
    expect(await auth.connectionLabel({}, { inputData: { name: 'Glow Aesthetics' } })).toBe('Glow Aesthetics');

    const [apiKey, baseUrl] = auth.fields;
    expect(apiKey).toMatchObject({ key: 'apiKey', type: 'password', required: true });
    expect(apiKey.helpText).toMatch(/Settings → API keys/);
    expect(apiKey.helpText).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\/app\/settings\)/);
    expect(baseUrl).toMatchObject({ key: 'baseUrl', default: 'https://app.advocateloop.com' });
    for (const f of auth.fields) {
      expect(f.helpText).toBeTruthy();
      expect(f.helpText).not.toBe(f.label);
      expect(titleCaseProblems(f.label)).toEqual([]);
    }
  });

  describe.each(operations())('%s %s', (kind, key, def) => {
    const op = def.operation;

    it('is keyed by its own key, with a title-case label and noun', () => {
      expect(def.key).toBe(key);
      expect(titleCaseProblems(def.display.label)).toEqual([]);
      expect(titleCaseProblems(def.noun)).toEqual([]);
      expect(def.display.label).not.toMatch(/[.!?]$/);
    });

    it('describes itself the way Zapier asks', () => {
      const description = def.display.description;
      expect(description).toMatch(/\.$/);
      if (kind === 'trigger') {
        expect(description).toMatch(/^Triggers when /);
      } else {
        // Actions and searches start with a verb such as "Creates" or "Finds".
        expect(description).toMatch(/^[A-Z][a-z]+s /);
        expect(description).not.toMatch(/^Triggers/);
      }
    });

    it('has help text on every input field, differing from its label, and no API key field', () => {
      for (const f of op.inputFields || []) {
        expect({ key: f.key, helpText: f.helpText }).toEqual({ key: f.key, helpText: expect.stringMatching(/\S.{10,}/) });
        expect(f.helpText.trim()).not.toBe(f.label.trim());
        expect(f.helpText).toMatch(/[.)]$/);
        expect({ key: f.key, problems: titleCaseProblems(f.label) }).toEqual({ key: f.key, problems: [] });
        expect(`${f.key} ${f.label}`).not.toMatch(SECRET_NAME);
        expect(f.type).not.toBe('password');
      }
    });

    it('has a static sample with an id', () => {
      expect(op.sample).toBeInstanceOf(Object);
      expect(Array.isArray(op.sample)).toBe(false);
      expect(typeof op.sample.id).toBe('string');
      expect(op.sample.id).not.toBe('');
    });

    it('has every output field in its sample, with the right type, and no repeated labels', () => {
      const problems = [];
      for (const f of op.outputFields) {
        if (!hasPath(op.sample, f.key)) {
          problems.push(`${f.key} is missing from the sample`);
          continue;
        }
        const value = valueAt(op.sample, f.key);
        if (f.required && value === null) problems.push(`${f.key} is required but null in the sample`);
        typeProblems(f.type, value).forEach((p) => problems.push(`${f.key} ${p}`));
        if (!f.label) problems.push(`${f.key} has no label`);
        else titleCaseProblems(f.label).forEach((w) => problems.push(`${f.key}'s label "${f.label}" has "${w}"`));
      }
      const labels = op.outputFields.map((f) => f.label);
      labels
        .filter((label, i) => labels.indexOf(label) !== i)
        .forEach((label) => problems.push(`label "${label}" is used twice`));
      expect(op.outputFields.map((f) => f.key)).toContain('id');
      expect(problems).toEqual([]);
    });

    it('writes every date in its sample as ISO-8601 with a time zone', () => {
      const bad = [...allStrings(op.sample)].filter(([, v]) => LOOKS_LIKE_DATE.test(v) && !ISO_WITH_ZONE.test(v));
      expect(bad).toEqual([]);
    });

    if (kind === 'trigger' && DROPDOWNS.includes(key)) {
      it('is a hidden polling trigger that pages, for dropdowns only', () => {
        expect(def.display.hidden).toBe(true);
        expect(op.type).toBe('polling');
        expect(op.canPaginate).toBe(true);
        expect(typeof op.perform).toBe('function');
      });
    }

    if (kind === 'trigger' && !DROPDOWNS.includes(key)) {
      it('is a REST hook whose sample is the Event it subscribes to', () => {
        expect(op.type).toBe('hook');
        for (const fn of ['performSubscribe', 'performUnsubscribe', 'perform', 'performList']) {
          expect(typeof op[fn]).toBe('function');
        }
        expect(op.sample.type).toBe(TRIGGERS[key]);
        expect(op.sample.id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(Object.keys(op.sample).sort()).toEqual(['created_at', 'data', 'id', 'type']);
      });
    }
  });

  it('fills every dropdown from a hidden trigger whose items carry its value and label, linked to a search that finds the value', () => {
    const problems = [];
    const dynamicFields = operations().flatMap(([, key, def]) => (def.operation.inputFields || []).filter((f) => f.dynamic).map((f) => [key, f]));
    for (const [key, f] of dynamicFields) {
      const [trigger, value, label] = f.dynamic.split('.');
      const source = App.triggers[trigger];
      if (!source) {
        problems.push(`${key}.${f.key}: no trigger ${trigger}`);
        continue;
      }
      if (!source.display.hidden) problems.push(`${key}.${f.key}: ${trigger} is not hidden`);
      for (const k of [value, label]) {
        if (typeof source.operation.sample[k] !== 'string') problems.push(`${key}.${f.key}: ${trigger}'s items have no ${k}`);
      }
      if (f.search) {
        const [searchKey, searchValue] = f.search.split('.');
        const found = App.searches[searchKey];
        if (!found) problems.push(`${key}.${f.key}: no search ${searchKey}`);
        else if (found.operation.sample[searchValue] === undefined) problems.push(`${key}.${f.key}: ${searchKey} does not answer ${searchValue}`);
      }
    }
    expect(problems).toEqual([]);
    // The fields where a builder would otherwise type an id or a code by hand.
    expect(dynamicFields.map(([key, f]) => `${key}.${f.key} ${f.dynamic} ${f.search || ''}`.trim()).sort()).toEqual([
      'create_referral.advocate_id advocate_list.id.name find_advocate.id',
      'find_advocate.id advocate_list.id.name',
      'find_advocate.referral_code advocate_list.referral_code.name',
      'find_reward.code reward_list.code.label',
      'redeem_reward.code reward_list.code.label find_reward.code',
    ]);
  });

  it('offers Find or Create Advocate with a title-case label', () => {
    const soc = App.searchOrCreates.find_advocate;
    expect(App.searches[soc.search]).toBeDefined();
    expect(App.creates[soc.create]).toBeDefined();
    expect(titleCaseProblems(soc.display.label)).toEqual([]);
  });
});
