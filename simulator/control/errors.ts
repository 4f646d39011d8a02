/** A control API request the simulator cannot act on: unknown ids (404) or contradictory input (409). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
