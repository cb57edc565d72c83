import type { JobDefinition } from './define.ts';
import { cleanup } from './types/cleanup.ts';
import { generateReport } from './types/generate-report.ts';
import { processData } from './types/process-data.ts';
import { sendNotification } from './types/send-notification.ts';

/** Every job type the platform runs. */
export const JOB_DEFINITIONS = [
  cleanup,
  sendNotification,
  processData,
  generateReport,
] as const satisfies readonly JobDefinition[];

export type JobType = (typeof JOB_DEFINITIONS)[number]['type'];

const byType = new Map<string, JobDefinition>(JOB_DEFINITIONS.map((definition) => [definition.type, definition]));

export function jobDefinition(type: string): JobDefinition | undefined {
  return byType.get(type);
}
