'use strict';

// How Zapier shows an answer to a Zap builder: every nested key flattened with "__"
// (`conversion.reward.code` is `conversion__reward__code`), each under its outputField's label.

// zapierKeys lists an answer's keys with their values, objects flattened.
const zapierKeys = (value, prefix = '') =>
  Object.entries(value).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length
      ? zapierKeys(v, `${prefix}${k}__`)
      : [{ key: prefix + k, value: v }],
  );

// unlabelled lists the keys of an answer that no labelled outputField declares. A null where
// an object can be (`conversion` when nothing converted) is declared by the object's fields.
const unlabelled = (answer, outputFields) => {
  const labelled = new Set(outputFields.filter((f) => f.label && f.label.trim()).map((f) => f.key));
  return zapierKeys(answer)
    .filter(({ key, value }) => !labelled.has(key) && !(value === null && [...labelled].some((k) => k.startsWith(`${key}__`))))
    .map(({ key }) => key);
};

module.exports = { zapierKeys, unlabelled };
