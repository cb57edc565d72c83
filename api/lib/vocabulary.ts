/**
 * The enumerations clients see, as plain constants with no dependencies, so the
 * dashboard can import the same lists the API validates against.
 */
export const ITEM_STATUSES = ['pending', 'in_progress', 'done', 'archived'] as const;
export const ITEM_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled'] as const;
