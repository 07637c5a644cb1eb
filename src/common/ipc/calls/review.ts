// Review calls. Owned by the review feature: add calls here as `'review.name': call<Result>()(inputSchema)`.
import { call } from '../define'

void call
export const reviewCalls = {}
