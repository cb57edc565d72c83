/**
 * What the OTLP reference tests (core/observability/otlp-reference.*.test.ts) share: the
 * resource and scope both sides use, and the normalisations that apply to traces and
 * metrics alike. The OpenTelemetry SDK and its OTLP transformer are devDependencies used
 * only there, as an oracle for core/observability/otlp.ts; nothing in the product imports them.
 */
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: OTLP/JSON documents are walked field by field.
export type Json = any;

export const RESOURCE = {
  'service.name': 'edgeplane',
  'service.version': '1.4.2',
  'deployment.environment.name': 'test',
};
export const SCOPE = 'edgeplane';
export const decode = (bytes: Uint8Array | undefined): Json => JSON.parse(new TextDecoder().decode(bytes));
/** Through JSON, as the exporter sends it: what is undefined disappears on both sides alike. */
export const asSent = (value: unknown): Json => JSON.parse(JSON.stringify(value));

/**
 * OTLP/JSON follows the protobuf JSON mapping, where 64-bit integers (an int attribute,
 * a histogram's count and bucket counts) are decimal strings; receivers accept numbers
 * too, and the SDK's serialiser writes numbers. We write strings: compare as strings.
 */
export const int64 = (value: unknown) => String(value);

export function normaliseAttributes(attributes: Json[]): Json[] {
  for (const { value } of attributes) if ('intValue' in value) value.intValue = int64(value.intValue);
  // Attributes are a map: OTLP gives their order no meaning.
  return attributes.sort((a, b) => a.key.localeCompare(b.key));
}

/** Fields the SDK always writes that describe things our resource never has. */
export function normaliseResource(resource: Json): void {
  // We never drop resource attributes, so the count is always 0 (proto3's default, which we omit).
  expect(resource.droppedAttributesCount).toBe(0);
  delete resource.droppedAttributesCount;
  normaliseAttributes(resource.attributes);
}
