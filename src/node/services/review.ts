// Handlers of the review calls (src/common/ipc/calls/review.ts).
import { handlers } from './handler'

export const reviewHandlers = handlers({})
