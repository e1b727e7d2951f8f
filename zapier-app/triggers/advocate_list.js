'use strict';

const { advocate } = require('../lib/shapes');
const { pagedList } = require('../lib/paged-list');

// Hidden: it fills the advocate dropdowns (Create Referral, Find Advocate) with the practice's
// active advocates, newest first, by name.
module.exports = {
  key: 'advocate_list',
  noun: 'Advocate',
  display: {
    label: 'New Advocate in List',
    description: 'Triggers when a patient joins as an advocate; lists active advocates for dropdowns.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    canPaginate: true,
    perform: pagedList('/v1/advocates', { status: 'active' }),
    sample: advocate.sample,
    outputFields: advocate.outputFields(),
  },
};
