'use strict';

// z.errors.Error carries its message, code and status as JSON in error.message.
const appErrorOf = (error) => {
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('AppError');
  return JSON.parse(error.message);
};

// rejection runs a promise that must fail and returns what it failed with.
const rejection = async (promise) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
};

module.exports = { appErrorOf, rejection };
