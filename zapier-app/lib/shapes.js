'use strict';

// The API's objects as Zapier shows them: one sample and one list of output fields per object,
// shared by the triggers, creates and search that return it, so they cannot disagree.
// Samples follow openapi.yaml's examples; `prefix` nests fields the way Zapier flattens them
// (`data__name` is `data.name`).

const field = (key, label, type = 'string', required = false) => ({ key, label, type, required });

const nest = (prefix, fields) => fields.map((f) => ({ ...f, key: prefix + f.key }));

// under nests an object's fields below a parent and names the parent in each label ("Conversion:
// Reward Code"), for answers that also carry the same fields flat under their plain labels.
const under = (prefix, parent, fields) =>
  nest(prefix, fields).map((f) => ({ ...f, label: `${parent}: ${f.label.replace(new RegExp(`^${parent} `), '')}` }));

const advocate = {
  sample: {
    id: 'adv_01JD3E28JT97KB6CQ643DZVMXX',
    name: 'Jane Avery',
    email: 'jane.avery@example.com',
    status: 'active',
    referral_code: 'JANE7K2Q',
    referral_url: 'https://app.advocateloop.com/r/JANE7K2Q',
    created_at: '2026-11-02T18:20:00Z',
    updated_at: '2026-11-02T18:20:00Z',
  },
  outputFields: (prefix = '') =>
    nest(prefix, [
      field('id', 'Advocate ID', 'string', true),
      field('name', 'Advocate Name', 'string', true),
      field('email', 'Advocate Email', 'string', true),
      field('status', 'Advocate Status', 'string', true),
      field('referral_code', 'Referral Code', 'string', true),
      field('referral_url', 'Referral Link', 'string', true),
      field('created_at', 'Joined At', 'datetime', true),
      field('updated_at', 'Updated At', 'datetime', true),
    ]),
};

const referral = {
  sample: {
    id: 'ref_01JDNPZX45HY43KWJRP1XPA7Z3',
    advocate_id: 'adv_01JD3E28JT97KB6CQ643DZVMXX',
    advocate_name: 'Jane Avery',
    referral_code: 'JANE7K2Q',
    friend_name: 'Fran Fields',
    friend_email: 'fran.fields@example.com',
    source: 'link',
    status: 'pending',
    claimed_at: '2026-11-10T19:45:00Z',
    converted_at: null,
    friend_offer: { description: '$25 off your first treatment', welcome_code: 'WELCOME25' },
  },
  // The friend offer is what the claim showed the friend: a claim's answer and its event carry
  // it, lists do not.
  outputFields: (prefix = '', { withOffer = true } = {}) =>
    nest(prefix, [
      field('id', 'Referral ID', 'string', true),
      field('advocate_id', 'Advocate ID', 'string', true),
      field('advocate_name', 'Advocate Name', 'string', true),
      field('referral_code', 'Referral Code', 'string', true),
      field('friend_name', 'Friend Name', 'string', true),
      field('friend_email', 'Friend Email', 'string', true),
      field('source', 'Referral Source', 'string', true),
      field('status', 'Referral Status', 'string', true),
      field('claimed_at', 'Claimed At', 'datetime', true),
      field('converted_at', 'Converted At', 'datetime'),
      ...(withOffer
        ? [field('friend_offer__description', 'Friend Offer'), field('friend_offer__welcome_code', 'Friend Welcome Code')]
        : []),
    ]),
};

// A referral as a list shows it, without the claim's friend offer.
const listedReferral = Object.fromEntries(Object.entries(referral.sample).filter(([k]) => k !== 'friend_offer'));

// Who to thank: what a Zap needs to write to the advocate from the practice's own email or SMS tool.
const advocateContact = [
  field('advocate_email', 'Advocate Email', 'string', true),
  field('advocate_first_name', 'Advocate First Name', 'string', true),
  field('advocate_referral_code', 'Advocate Referral Code', 'string', true),
];

const reward = {
  sample: {
    id: 'rwd_01JDS3C4DWA7N36096Q14DR9GP',
    advocate_id: 'adv_01JD3E28JT97KB6CQ643DZVMXX',
    advocate_email: 'jane.avery@example.com',
    advocate_first_name: 'Jane',
    advocate_referral_code: 'JANE7K2Q',
    conversion_id: 'cnv_01JD9EE0ZBGJ09TQM83XSSSS6Y',
    kind: 'discount_code',
    code: 'AL-7Q3MX9TB',
    amount: '50.00',
    currency: 'USD',
    status: 'issued',
    clawback_owed: false,
    issued_at: '2026-11-23T14:05:02Z',
    held_until: null,
    redeemed_at: null,
    voided_at: null,
  },
  outputFields: (prefix = '', { inConversion = false } = {}) =>
    nest(prefix, [
      field('id', 'Reward ID', 'string', true),
      // Inside a conversion these repeat the conversion's own; the labels say whose they are.
      ...(inConversion
        ? [
            field('advocate_id', 'Reward Advocate ID', 'string', true),
            field('advocate_email', 'Reward Advocate Email', 'string', true),
            field('advocate_first_name', 'Reward Advocate First Name', 'string', true),
            field('advocate_referral_code', 'Reward Advocate Referral Code', 'string', true),
            field('conversion_id', 'Reward Conversion ID', 'string', true),
          ]
        : [
            field('advocate_id', 'Advocate ID', 'string', true),
            ...advocateContact,
            field('conversion_id', 'Conversion ID', 'string', true),
          ]),
      field('kind', 'Reward Kind', 'string', true),
      field('code', 'Reward Code'),
      field('amount', 'Reward Amount', 'string', true),
      field('currency', 'Reward Currency', 'string', true),
      field('status', 'Reward Status', 'string', true),
      field('clawback_owed', 'Clawback Owed', 'boolean', true),
      // A held reward is `pending` until held_until, with no code and no issue time yet.
      field('issued_at', 'Reward Issued At', 'datetime'),
      field('held_until', 'Reward Held Until', 'datetime'),
      field('redeemed_at', 'Reward Redeemed At', 'datetime'),
      field('voided_at', 'Reward Voided At', 'datetime'),
    ]),
};

const conversion = {
  sample: {
    id: 'cnv_01JD9EE0ZBGJ09TQM83XSSSS6Y',
    referral_id: 'ref_01JDNPZX45HY43KWJRP1XPA7Z3',
    advocate_id: 'adv_01JD3E28JT97KB6CQ643DZVMXX',
    advocate_name: 'Jane Avery',
    advocate_email: 'jane.avery@example.com',
    advocate_first_name: 'Jane',
    advocate_referral_code: 'JANE7K2Q',
    friend_name: 'Fran Fields',
    friend_email: 'fran.fields@example.com',
    invoice_id: 'INV-1001',
    payment_id: 'PAY-5521',
    amount: '250.00',
    currency: 'USD',
    paid_at: '2026-11-23T14:05:00Z',
    source: 'payment',
    status: 'rewarded',
    reversed_at: null,
    created_at: '2026-11-23T14:05:02Z',
    reward: reward.sample,
  },
  // With a parent, every label names it: see under.
  outputFields: (prefix = '', { parent } = {}) =>
    (parent ? (p, fs) => under(p, parent, fs) : nest)(prefix, [
      field('id', 'Conversion ID', 'string', true),
      field('referral_id', 'Referral ID', 'string', true),
      field('advocate_id', 'Advocate ID', 'string', true),
      field('advocate_name', 'Advocate Name', 'string', true),
      ...advocateContact,
      field('friend_name', 'Friend Name', 'string', true),
      field('friend_email', 'Friend Email', 'string', true),
      field('invoice_id', 'Invoice ID', 'string', true),
      field('payment_id', 'Payment ID'),
      field('amount', 'Amount Paid', 'string', true),
      field('currency', 'Currency', 'string', true),
      field('paid_at', 'Paid At', 'datetime', true),
      field('source', 'Conversion Source', 'string', true),
      field('status', 'Conversion Status', 'string', true),
      field('reversed_at', 'Reversed At', 'datetime'),
      field('created_at', 'Recorded At', 'datetime', true),
      ...reward.outputFields('reward__', { inConversion: true }),
    ]),
};

// A reversed conversion, as Reverse Conversion and the Conversion Reversed trigger show it.
const reversedConversion = {
  ...conversion.sample,
  status: 'reversed',
  reversed_at: '2026-11-30T16:12:00Z',
  reward: { ...reward.sample, status: 'voided', voided_at: '2026-11-30T16:12:00Z' },
};

const redeemedReward = { ...reward.sample, status: 'redeemed', redeemed_at: '2026-12-02T10:30:00Z' };

module.exports = { field, advocate, referral, listedReferral, reward, conversion, reversedConversion, redeemedReward };
