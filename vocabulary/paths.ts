/**
 * Paths the API and the dashboard's build agree on. The build writes the API reference's
 * script (@scalar/api-reference's browser bundle) here among the dashboard's files, and
 * `/docs` loads it from here: on Node the app's file server, on Workers the static assets.
 */
export const API_REFERENCE_SCRIPT = '/docs-assets/scalar-api-reference.js';
