'use strict';

const { referral } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

module.exports = {
  key: 'new_referral',
  noun: 'Referral',
  display: {
    label: 'New Referral',
    description: "Triggers when a friend claims an advocate's referral offer.",
  },
  operation: eventHook({
    event: 'referral.created',
    id: 'evt_01JDNPZX46AGC7B9RWS40FDHZE',
    at: '2026-11-10T19:45:00Z',
    data: referral.sample,
    outputFields: referral.outputFields('data__'),
  }),
};
