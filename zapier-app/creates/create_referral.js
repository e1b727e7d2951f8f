'use strict';

const { referral } = require('../lib/shapes');
const { text, compact } = require('../lib/mapping');

// Create Referral records a friend's claim of an advocate's offer, for referrals that arrive
// outside AdvocateLoop's own pages (a form, a front-desk note).
const perform = async (z, bundle) => {
  const input = bundle.inputData;
  const response = await z.request({
    method: 'POST',
    url: '/v1/referrals',
    body: compact({
      referral_code: text(input.referral_code),
      advocate_id: text(input.advocate_id),
      friend_name: text(input.friend_name),
      friend_email: text(input.friend_email),
      source: text(input.source),
    }),
  });
  return response.data;
};

module.exports = {
  key: 'create_referral',
  noun: 'Referral',
  display: {
    label: 'Create Referral',
    description:
      "Records a friend referred by an advocate, named by the advocate's referral code or ID, so the friend's first paid invoice rewards the advocate.",
  },
  operation: {
    inputFields: [
      {
        key: 'advocate_id',
        label: 'Advocate',
        dynamic: 'advocate_list.id.name',
        search: 'find_advocate.id',
        helpText:
          'Choose the advocate who referred the friend, or map an advocate ID (starts with `adv_`), for example from a "Find Advocate" step. Fill in this or Referral Code.',
      },
      {
        key: 'referral_code',
        label: 'Referral Code',
        helpText:
          "Or the advocate's 8-character referral code, such as `JANE7K2Q`, when your form or trigger has the code the friend gave. Fill in this or Advocate.",
      },
      {
        key: 'friend_name',
        label: 'Friend Name',
        required: true,
        helpText: "The referred friend's full name. Map your form's or trigger's name field.",
      },
      {
        key: 'friend_email',
        label: 'Friend Email',
        required: true,
        helpText:
          "The referred friend's email. Their first paid invoice with this email rewards the advocate.",
      },
      {
        key: 'source',
        label: 'Source',
        choices: [
          { value: 'api', label: 'Zapier or another app', sample: 'api' },
          { value: 'manual', label: 'Front desk', sample: 'manual' },
          { value: 'link', label: "Advocate's link", sample: 'link' },
          { value: 'code', label: "Advocate's code", sample: 'code' },
        ],
        default: 'api',
        helpText: 'How the friend arrived. Leave as "Zapier or another app" unless you know better.',
      },
    ],
    perform,
    sample: referral.sample,
    outputFields: referral.outputFields(),
  },
};
