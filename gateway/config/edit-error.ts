/** An edit the config cannot take, naming the field (and the HTTP status the admin API answers it with). */
export class EditError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
