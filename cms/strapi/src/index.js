'use strict';

const crypto = require('crypto');
const { errors } = require('@strapi/utils');
const { ensureAdminUser } = require('./admin-user');

// Content types whose documents guidepress addresses by slug.
const SLUG_KEYED_UIDS = ['api::guide.guide', 'api::career-page.career-page'];

// Name of the API token that guidepress uses; its secret comes from the env.
const TOKEN_NAME = 'guidepress';
const TOKEN_UID = 'admin::api-token';
// Tokens that Strapi's admin bootstrap creates with random secrets on an empty
// database. guidepress never uses them, so they are removed.
const STRAPI_DEFAULT_TOKEN_NAMES = ['Read Only', 'Full Access'];

const tokenValueFromEnv = () => {
  const fromStrapi = process.env.STRAPI_API_TOKEN;
  if (fromStrapi) return fromStrapi;
  const fromGuidepress = process.env.GUIDEPRESS_CMS_TOKEN;
  if (fromGuidepress) return fromGuidepress;
  return null;
};

// Same as Strapi 5.54's admin api-token service `hash`:
// HMAC-SHA512 keyed with admin.apiToken.salt, hex-encoded.
const hashAccessKey = (strapi, accessKey) => {
  const salt = strapi.config.get('admin.apiToken.salt');
  if (!salt) throw new Error('admin.apiToken.salt (API_TOKEN_SALT) is not set');
  return crypto.createHmac('sha512', salt).update(accessKey).digest('hex');
};

const encryptAccessKey = (strapi, accessKey) => {
  try {
    return strapi.service('admin::encryption').encrypt(accessKey);
  } catch (err) {
    strapi.log.warn(`[guidepress] could not encrypt the API token: ${err.message}`);
    return null;
  }
};

async function ensureApiToken(strapi) {
  const value = tokenValueFromEnv();
  if (!value) {
    strapi.log.warn(
      '[guidepress] neither STRAPI_API_TOKEN nor GUIDEPRESS_CMS_TOKEN is set: no API token ensured'
    );
    return;
  }

  const query = strapi.db.query(TOKEN_UID);
  const accessKey = hashAccessKey(strapi, value);
  const data = {
    type: 'full-access',
    kind: 'content-api',
    accessKey,
    encryptedKey: encryptAccessKey(strapi, value),
    lifespan: null,
    expiresAt: null,
  };

  const existing = await query.findOne({ where: { name: TOKEN_NAME } });
  if (existing) {
    await query.update({ where: { id: existing.id }, data });
    strapi.log.info(`[guidepress] API token "${TOKEN_NAME}" updated from the environment`);
  } else {
    // The token service would generate a random key, so the row is written
    // directly with the hash of the value from the environment.
    await query.create({
      data: {
        name: TOKEN_NAME,
        description: 'Full-access token of the guidepress CLI (secret from STRAPI_API_TOKEN)',
        ...data,
      },
    });
    strapi.log.info(`[guidepress] API token "${TOKEN_NAME}" created from the environment`);
  }

  // Remove Strapi's randomly keyed default tokens (never used by guidepress).
  await query.deleteMany({
    where: { name: { $in: STRAPI_DEFAULT_TOKEN_NAMES }, kind: 'content-api' },
  });
}

// A second, restricted token (type custom) for testing what guidepress says
// when a token may use the content API but not read the schema
// (content-type-builder): its secret comes from STRAPI_RESTRICTED_API_TOKEN;
// unset, no such token exists.
const RESTRICTED_TOKEN_NAME = 'guidepress-restricted';
const RESTRICTED_ACTIONS = SLUG_KEYED_UIDS.flatMap((uid) =>
  ['find', 'findOne', 'create', 'update', 'delete'].map((action) => `${uid}.${action}`)
);

async function ensureRestrictedToken(strapi) {
  const value = process.env.STRAPI_RESTRICTED_API_TOKEN;
  const query = strapi.db.query(TOKEN_UID);
  const existing = await query.findOne({ where: { name: RESTRICTED_TOKEN_NAME } });
  if (!value) {
    if (existing) await query.delete({ where: { id: existing.id } });
    return;
  }
  const data = {
    type: 'custom',
    kind: 'content-api',
    accessKey: hashAccessKey(strapi, value),
    encryptedKey: encryptAccessKey(strapi, value),
    lifespan: null,
    expiresAt: null,
  };
  let token = existing;
  if (existing) {
    await query.update({ where: { id: existing.id }, data });
  } else {
    token = await query.create({
      data: {
        name: RESTRICTED_TOKEN_NAME,
        description: 'Content API only, no content-type-builder (guidepress tests)',
        ...data,
      },
    });
  }
  const permissions = strapi.db.query('admin::api-token-permission');
  await permissions.deleteMany({ where: { token: token.id } });
  for (const action of RESTRICTED_ACTIONS) {
    await permissions.create({ data: { action, token: token.id } });
  }
  strapi.log.info(`[guidepress] restricted API token "${RESTRICTED_TOKEN_NAME}" ensured`);
}

// Strapi 5 checks `unique` only among *published* versions (drafts are never
// checked), so two documents could share a slug. guidepress maps slug <->
// documentId, so every document (draft rows included) must have its own slug.
// A clash is rejected with 400 ValidationError, like Strapi's own unique check.
function enforceUniqueSlug(strapi) {
  strapi.documents.use(async (context, next) => {
    if (!SLUG_KEYED_UIDS.includes(context.uid) || (context.action !== 'create' && context.action !== 'update')) {
      return next();
    }
    const slug = context.params && context.params.data ? context.params.data.slug : undefined;
    if (typeof slug !== 'string' || slug === '') {
      return next();
    }
    const where = { slug };
    if (context.action === 'update' && context.params.documentId) {
      where.documentId = { $ne: context.params.documentId };
    }
    const clash = await strapi.db.query(context.uid).findOne({ where, select: ['documentId'] });
    if (clash) {
      const message = 'This attribute must be unique';
      throw new errors.ValidationError(`slug "${slug}" is already used by document ${clash.documentId}`, {
        errors: [{ path: ['slug'], message, name: 'ValidationError', value: slug }],
      });
    }
    return next();
  });
}

module.exports = {
  register({ strapi }) {
    enforceUniqueSlug(strapi);
  },

  async bootstrap({ strapi }) {
    await ensureApiToken(strapi);
    await ensureRestrictedToken(strapi);
    await ensureAdminUser(strapi);
    // No users-permissions plugin is installed, so there is no "public" role:
    // every content-API request needs the API token (401 otherwise).
  },
};
