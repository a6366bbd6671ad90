// The admin panel's customisation (built by `strapi build`, see
// scripts/strapi.sh). No release check: the panel makes no request to
// anything but this Strapi (no GitHub API call on every page load).
export default {
  config: {
    notifications: { releases: false },
  },
};
