'use strict';

const { conversion, reversedConversion } = require('../lib/shapes');
const { eventHook } = require('../lib/event-hook');

module.exports = {
  key: 'conversion_reversed',
  noun: 'Conversion',
  display: {
    label: 'Conversion Reversed',
    description:
      "Triggers when a refund reverses a conversion and voids the advocate's reward (or flags it when it was already redeemed).",
  },
  operation: eventHook({
    event: 'conversion.reversed',
    id: 'evt_01JDV5M2R8YQK4T0X7C3B6N9PA',
    at: '2026-11-30T16:12:00Z',
    data: reversedConversion,
    outputFields: conversion.outputFields('data__'),
  }),
};
