/** A `get*` repository function found nothing. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly key: string | number,
  ) {
    super(`${entity} ${key} was not found`);
  }
}
