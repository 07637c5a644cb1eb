import { expect } from 'vitest'
import { AppError } from '../../src/common/errors'

/** Asserts that `fn` throws an AppError whose message and hint match. */
export function expectAppError(fn: () => unknown, expected: { code?: string; message?: RegExp; hint?: RegExp }): AppError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught, 'expected an AppError to be thrown').toBeInstanceOf(AppError)
  const e = caught as AppError
  if (expected.code) expect(e.code).toBe(expected.code)
  if (expected.message) expect(e.message).toMatch(expected.message)
  if (expected.hint) expect(e.hint ?? '').toMatch(expected.hint)
  return e
}
