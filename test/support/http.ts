/** A response whose JSON body tests read without declaring its type first. */
export interface TestResponse extends Response {
  // biome-ignore lint/suspicious/noExplicitAny: assertions check the shape.
  json(): Promise<any>;
}
