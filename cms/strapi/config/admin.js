'use strict';

module.exports = ({ env }) => ({
  // The admin panel editors use, at /admin. scripts/strapi.sh builds it into
  // build/ when missing or out of date (STRAPI_SERVE_ADMIN=false: neither
  // built nor served).
  serveAdminPanel: env.bool('STRAPI_SERVE_ADMIN', true),
  autoOpen: false,
  auth: {
    secret: env('ADMIN_JWT_SECRET', 'guidepress-dev-admin-jwt-secret'),
  },
  apiToken: {
    // The salt of the HMAC-SHA512 that hashes API tokens (see src/index.js).
    salt: env('API_TOKEN_SALT', 'guidepress-dev-api-token-salt'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', 'guidepress-dev-transfer-token-salt'),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', 'guidepress-dev-encryption-key'),
  },
  flags: {
    nps: false,
    promoteEE: false,
  },
});
