/**
 * A stored payload that can never be parsed (not the shape its platform
 * sends, or a platform no connector reads): ingest marks its inbound event
 * failed for good instead of retrying it. Each connector's parse errors
 * extend it.
 */
export class PayloadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
