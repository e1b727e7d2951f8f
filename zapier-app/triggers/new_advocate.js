'use strict';

const { advocate } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

module.exports = {
  key: 'new_advocate',
  noun: 'Advocate',
  display: {
    label: 'New Advocate',
    description: 'Triggers when a patient joins your referral program as an advocate.',
  },
  operation: eventHook({
    event: 'advocate.created',
    id: 'evt_01JDQY77ZXYYK596NGYA1DQ91K',
    at: '2026-11-02T18:20:00Z',
    data: advocate.sample,
    outputFields: advocate.outputFields('data__'),
  }),
};
