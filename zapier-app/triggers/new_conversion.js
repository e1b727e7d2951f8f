'use strict';

const { conversion } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

module.exports = {
  key: 'new_conversion',
  noun: 'Conversion',
  display: {
    label: 'New Conversion',
    description:
      'Triggers when a referred friend pays and their advocate earns a reward (the reward code is included).',
  },
  operation: eventHook({
    event: 'conversion.recorded',
    id: 'evt_01JD9EE0ZC3S1WQ6ZB0A9F6M2K',
    at: '2026-11-23T14:05:02Z',
    data: conversion.sample,
    outputFields: conversion.outputFields('data__'),
  }),
};
