'use strict';

const { advocate } = require('../lib/shapes');
const { text, compact } = require('../lib/mapping');

// Create Advocate enrols a patient and gives them a referral link. An email that already
// belongs to an advocate returns that advocate, so it is safe as search-or-create's "create".
const perform = async (z, bundle) => {
  const response = await z.request({
    method: 'POST',
    url: '/v1/advocates',
    body: compact({ name: text(bundle.inputData.name), email: text(bundle.inputData.email) }),
  });
  return response.data;
};

module.exports = {
  key: 'create_advocate',
  noun: 'Advocate',
  display: {
    label: 'Create Advocate',
    description:
      'Enrols a patient as an advocate with a personal referral link and code, or returns the advocate who already has this email.',
  },
  operation: {
    inputFields: [
      {
        key: 'name',
        label: 'Name',
        required: true,
        helpText:
          "The patient's full name, as friends will see it on the referral page. Map your trigger's **Patient Name** (or first and last name together).",
      },
      {
        key: 'email',
        label: 'Email',
        required: true,
        helpText:
          "The patient's email address. Map your trigger's **Patient Email**; an email that already belongs to an advocate returns that advocate instead of a duplicate.",
      },
    ],
    perform,
    sample: advocate.sample,
    outputFields: advocate.outputFields(),
  },
};
