import { MskError } from '@openmsk/wire/src/errors';

/** Runs `fn` and asserts it threw the 400 BadRequestException a client would see. */
export function expectBadRequest(fn: () => unknown, message: string | RegExp, invalidParameter: string): MskError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(MskError);
  const err = thrown as MskError;
  expect(err.code).toBe('BadRequestException');
  expect(err.status).toBe(400);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  expect(err.invalidParameter).toBe(invalidParameter);
  return err;
}
