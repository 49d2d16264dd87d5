/**
 * Errors of the fake Excel host, shaped like `OfficeExtension.Error` (the class Office.js calls
 * `RichApi.Error`): `code`, `message`, `debugInfo: { code, message, errorLocation }`, `httpStatusCode`,
 * `traceMessages`, `innerError`.
 *
 * Codes and messages are the ones Office.js and Excel use; messages that come from the Excel host itself
 * (ItemNotFound, InvalidArgument, …) are the English texts Excel returns.
 */

export const ErrorCodes = {
  accessDenied: 'AccessDenied',
  apiNotFound: 'ApiNotFound',
  generalException: 'GeneralException',
  invalidArgument: 'InvalidArgument',
  invalidObjectPath: 'InvalidObjectPath',
  invalidOperation: 'InvalidOperation',
  invalidReference: 'InvalidReference',
  itemAlreadyExists: 'ItemAlreadyExists',
  itemNotFound: 'ItemNotFound',
  notImplemented: 'NotImplemented',
  propertyNotLoaded: 'PropertyNotLoaded',
  cannotUpdateReadOnlyProperty: 'CannotUpdateReadOnlyProperty',
  valueNotLoaded: 'ValueNotLoaded',
  runMustReturnPromise: 'RunMustReturnPromise',
  requestPayloadSizeLimitExceeded: 'RequestPayloadSizeLimitExceeded',
  responsePayloadSizeLimitExceeded: 'ResponsePayloadSizeLimitExceeded',
  /** Not an Excel code: something the fake host deliberately does not implement. */
  fakeNotImplemented: 'FakeNotImplemented',
} as const;

export type FakeErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface FakeDebugInfo {
  code: string;
  message: string;
  errorLocation?: string;
  toString(): string;
}

export interface FakeErrorInit {
  code: string;
  message: string;
  errorLocation?: string;
  httpStatusCode?: number;
}

const STATUS: Record<string, number> = {
  AccessDenied: 401,
  ApiNotFound: 404,
  GeneralException: 500,
  InvalidArgument: 400,
  InvalidObjectPath: 400,
  InvalidOperation: 400,
  ItemAlreadyExists: 409,
  ItemNotFound: 404,
  PropertyNotLoaded: 400,
  ValueNotLoaded: 400,
  RequestPayloadSizeLimitExceeded: 400,
  ResponsePayloadSizeLimitExceeded: 400,
};

/** Exposed as `OfficeExtension.Error`; `instanceof OfficeExtension.Error` works on every error the fake throws. */
export class FakeOfficeError extends Error {
  override name = 'RichApi.Error';
  code: string;
  debugInfo: FakeDebugInfo;
  httpStatusCode: number;
  traceMessages: string[] = [];
  innerError: FakeOfficeError | null = null;

  constructor(init: FakeErrorInit) {
    super(init.message);
    this.code = init.code;
    this.httpStatusCode = init.httpStatusCode ?? STATUS[init.code] ?? 500;
    this.debugInfo = makeDebugInfo(init.code, init.message, init.errorLocation);
  }

  /** Fills in where the error happened when the thrower did not know (used by the request queue). */
  withLocation(errorLocation: string): this {
    if (!this.debugInfo.errorLocation) this.debugInfo = makeDebugInfo(this.code, this.message, errorLocation);
    return this;
  }

  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

function makeDebugInfo(code: string, message: string, errorLocation: string | undefined): FakeDebugInfo {
  const info: FakeDebugInfo = {
    code,
    message,
    toString() {
      return JSON.stringify({ code: this.code, message: this.message, errorLocation: this.errorLocation });
    },
  };
  if (errorLocation) info.errorLocation = errorLocation;
  return info;
}

const PAYLOAD_DOC =
  'https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins';

export const errors = {
  propertyNotLoaded(entity: string, property: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.propertyNotLoaded,
      message: `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      errorLocation: `${entity}.${property}`,
    });
  },
  valueNotLoaded(): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.valueNotLoaded,
      message:
        'The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.',
    });
  },
  itemNotFound(errorLocation?: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.itemNotFound,
      message: "The requested resource doesn't exist.",
      ...(errorLocation ? { errorLocation } : {}),
    });
  },
  itemAlreadyExists(errorLocation?: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.itemAlreadyExists,
      message: 'A resource with the same name or identifier already exists.',
      ...(errorLocation ? { errorLocation } : {}),
    });
  },
  invalidArgument(detail?: string, errorLocation?: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.invalidArgument,
      message: `The argument is invalid or missing or has an incorrect format.${detail ? ` (${detail})` : ''}`,
      ...(errorLocation ? { errorLocation } : {}),
    });
  },
  invalidOperation(detail?: string, errorLocation?: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.invalidOperation,
      message: `This operation is not permitted for the current object.${detail ? ` (${detail})` : ''}`,
      ...(errorLocation ? { errorLocation } : {}),
    });
  },
  invalidObjectPath(path: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.invalidObjectPath,
      message: `The object path '${path}' isn't working for what you're trying to do. If you're using the object across multiple "context.sync" calls and outside the sequential execution of a ".run" batch, please use the "context.trackedObjects.add()" and "context.trackedObjects.remove()" methods to manage the object's lifetime.`,
      errorLocation: path,
    });
  },
  apiNotFound(member: string, version: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.apiNotFound,
      message: `The method or property ${member} is part of the ExcelApi ${version} requirement set, which is not available in your version of Excel.`,
      errorLocation: member,
    });
  },
  runMustReturnPromise(): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.runMustReturnPromise,
      message:
        'The batch function passed to the ".run" method didn\'t return a promise. The function must return a promise, so that any automatically-tracked objects can be released at the completion of the batch operation. Typically, you return a promise by returning the response from "context.sync()".',
    });
  },
  requestPayloadTooLarge(bytes: number, limit: number): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.requestPayloadSizeLimitExceeded,
      message: `The request payload size has exceeded the limit. Please refer to the documentation: "${PAYLOAD_DOC}". (fake host: ${bytes} bytes > ${limit})`,
    });
  },
  responsePayloadTooLarge(bytes: number, limit: number): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.responsePayloadSizeLimitExceeded,
      message: `The response payload size has exceeded the limit. Please refer to the documentation: "${PAYLOAD_DOC}". (fake host: ${bytes} bytes > ${limit})`,
    });
  },
  /** Something real Excel supports but this fake does not: fail loudly instead of pretending. */
  notImplemented(what: string): FakeOfficeError {
    return new FakeOfficeError({
      code: ErrorCodes.fakeNotImplemented,
      message: `Fake Excel host: ${what} is not implemented.`,
      errorLocation: what,
      httpStatusCode: 501,
    });
  },
};

export function isFakeOfficeError(e: unknown): e is FakeOfficeError {
  return e instanceof FakeOfficeError;
}
