/**
 * The cookie that tells the dashboard a session may exist. The session's own cookies are
 * httpOnly, so script cannot see them; this one carries no secret, only "signed in here",
 * and lives as long as the refresh cookie. Without it the dashboard does not ask the API
 * who is signed in (an answer that would be a 401, logged by the browser on every visit).
 */
export const SESSION_HINT_COOKIE = 'edgeplane_session';
