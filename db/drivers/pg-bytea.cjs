'use strict';

// The Worker's `postgres-bytea` (wrangler.toml [alias]), the bytea parser pg-types loads:
// the same parsing, into a Uint8Array. The published one reads Node's `Buffer` as it
// loads, and workerd without nodejs_compat has none. CommonJS, because pg-types
// `require`s it and calls what it gets.

const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/** @param {string} input Postgres's text form of a bytea value. */
module.exports = function parseBytea(input) {
  if (/^\\x/.test(input)) {
    // The hex format (Postgres 9.0 on). Like Buffer.from(…, 'hex'), stop at the first bad pair.
    const bytes = [];
    for (let i = 2; i + 1 < input.length && HEX_PAIR.test(input.substr(i, 2)); i += 2) {
      bytes.push(parseInt(input.substr(i, 2), 16));
    }
    return Uint8Array.from(bytes);
  }
  // The escape format: \ooo is an octal byte, \\ a backslash, anything else itself.
  const bytes = [];
  let i = 0;
  while (i < input.length) {
    if (input[i] !== '\\') {
      bytes.push(input.charCodeAt(i) & 0xff);
      ++i;
    } else if (/[0-7]{3}/.test(input.substr(i + 1, 3))) {
      bytes.push(parseInt(input.substr(i + 1, 3), 8) & 0xff);
      i += 4;
    } else {
      let backslashes = 1;
      while (i + backslashes < input.length && input[i + backslashes] === '\\') backslashes++;
      for (let k = 0; k < Math.floor(backslashes / 2); ++k) bytes.push(0x5c);
      // A lone backslash (which Postgres never sends) is skipped; the published parser loops on it.
      i += Math.floor(backslashes / 2) * 2 || 1;
    }
  }
  return Uint8Array.from(bytes);
};
