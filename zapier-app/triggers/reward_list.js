'use strict';

const { reward, field } = require('../lib/shapes');
const { pagedList } = require('../lib/paged-list');

// labelOf is how a reward reads in a dropdown: what it is worth and whose it is, since a code
// alone says nothing to the front desk.
const labelOf = (r) => `${r.amount} ${r.currency} for ${r.advocate_first_name} (${r.advocate_email})`;

// Hidden: it fills the reward code dropdowns (Redeem Reward, Find Reward) with the rewards that
// can still be redeemed, newest first.
module.exports = {
  key: 'reward_list',
  noun: 'Reward',
  display: {
    label: 'New Issued Reward in List',
    description: 'Triggers when a reward is issued; lists rewards not yet redeemed for dropdowns.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    canPaginate: true,
    perform: pagedList('/v1/rewards', { status: 'issued' }, (r) => ({ ...r, label: labelOf(r) })),
    sample: { ...reward.sample, label: labelOf(reward.sample) },
    outputFields: [...reward.outputFields(), field('label', 'Reward Description', 'string', true)],
  },
};
