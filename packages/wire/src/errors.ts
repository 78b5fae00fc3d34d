/** The eight error shapes every cluster operation of the kafka model shares, with the status the model gives each. */
export const MODEL_ERRORS = {
  BadRequestException: 400,
  UnauthorizedException: 401,
  ForbiddenException: 403,
  NotFoundException: 404,
  ConflictException: 409,
  TooManyRequestsException: 429,
  InternalServerErrorException: 500,
  ServiceUnavailableException: 503,
} as const;

/** Errors of the AWS front door (not in the kafka model); all 403 as AWS answers them. */
export const AUTH_ERRORS = {
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
} as const;

export type ModelErrorCode = keyof typeof MODEL_ERRORS;
export type AuthErrorCode = keyof typeof AUTH_ERRORS;
export type ErrorCode = ModelErrorCode | AuthErrorCode;

/** An error the API answers with: `x-amzn-ErrorType: code`, status, `{message, invalidParameter}`. */
export class MskError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly invalidParameter?: string,
  ) {
    super(message);
    this.name = code;
    this.status = (MODEL_ERRORS as Record<string, number>)[code] ?? (AUTH_ERRORS as Record<string, number>)[code];
  }

  /** The JSON body both the AWS CLI and the JS SDK read. */
  body(): { message: string; invalidParameter?: string } {
    return this.invalidParameter === undefined
      ? { message: this.message }
      : { message: this.message, invalidParameter: this.invalidParameter };
  }
}

export const badRequest = (message: string, invalidParameter?: string) =>
  new MskError('BadRequestException', message, invalidParameter);
export const notFound = (message: string, invalidParameter?: string) =>
  new MskError('NotFoundException', message, invalidParameter);
export const conflict = (message: string, invalidParameter?: string) =>
  new MskError('ConflictException', message, invalidParameter);
