import type { z } from 'zod'

/** "path.to.field: message; other: message" — short enough for a banner or a terminal line. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
