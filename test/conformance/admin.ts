/** The admin the runners configure (ADMIN_EMAIL / ADMIN_PASSWORD) and the suite signs in as. */
export const ADMIN = { email: 'conformance-admin@edgeplane.test', password: 'conformance-password-1' };
export const ADMIN_ENV = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
