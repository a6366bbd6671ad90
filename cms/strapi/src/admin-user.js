'use strict';

// The local admin user editors log in to the admin panel (/admin) with.
//
// Created at boot from STRAPI_ADMIN_EMAIL and STRAPI_ADMIN_PASSWORD (both
// needed; scripts/strapi.sh sets development defaults on loopback only) as a
// Super Admin. An existing user with that email gets the password from the
// environment again and is made active, so changing the variable and
// restarting is how the password is reset. Neither value is ever logged
// beyond the email.

const USER_UID = 'admin::user';

async function ensureAdminUser(strapi) {
  const email = (process.env.STRAPI_ADMIN_EMAIL || '').trim().toLowerCase();
  const password = process.env.STRAPI_ADMIN_PASSWORD || '';
  if (!email || !password) {
    strapi.log.info(
      '[guidepress] STRAPI_ADMIN_EMAIL/STRAPI_ADMIN_PASSWORD not both set: no admin user ensured'
    );
    return;
  }
  const users = strapi.service('admin::user');
  const existing = await strapi.db.query(USER_UID).findOne({ where: { email } });
  if (existing) {
    await users.updateById(existing.id, { password, isActive: true, blocked: false });
    strapi.log.info(`[guidepress] admin user ${email} updated from the environment`);
    return;
  }
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  if (!superAdmin) {
    throw new Error('the Super Admin role does not exist: cannot create the admin user');
  }
  await users.create({
    email,
    firstname: 'Guidepress',
    lastname: 'Editor',
    password,
    registrationToken: null,
    isActive: true,
    roles: [superAdmin.id],
  });
  strapi.log.info(`[guidepress] admin user ${email} created from the environment`);
}

module.exports = { ensureAdminUser };
