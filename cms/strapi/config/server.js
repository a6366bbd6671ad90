'use strict';

// Loopback only by default; guidepress talks to Strapi over 127.0.0.1.
module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  logger: {
    // No update check against the npm registry at start.
    updates: { enabled: false },
  },
  app: {
    // Development defaults only. scripts/strapi.sh exports APP_KEYS; set real
    // values in the environment for anything that is not a local test instance.
    keys: env.array('APP_KEYS', ['guidepressDevKeyA==', 'guidepressDevKeyB==']),
  },
});
