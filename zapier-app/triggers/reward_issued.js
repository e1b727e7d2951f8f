'use strict';

const { reward } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

// With a reward hold, a reward is issued (its code usable, the advocate emailed) when the hold
// ends, days after the conversion; without one, at conversion (see New Conversion).
module.exports = {
  key: 'reward_issued',
  noun: 'Reward',
  display: {
    label: 'Reward Issued',
    description:
      "Triggers when a held reward's hold ends and its code can be used (practices with a reward hold; otherwise rewards are issued with New Conversion).",
  },
  operation: eventHook({
    event: 'reward.issued',
    id: 'evt_01JE2K8M4T6W9Y1B3D5F7H9K2M',
    at: '2026-12-07T14:05:02Z',
    data: { ...reward.sample, issued_at: '2026-12-07T14:05:02Z' },
    outputFields: reward.outputFields('data__'),
  }),
};
