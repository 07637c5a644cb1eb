// Handlers of the review calls (src/common/ipc/calls/review.ts).
import { setAgreement } from '../review/agreement'
import { complete, decide, recentDecisions, setNote } from '../review/decisions'
import { exportCuratedCsv } from '../review/export'
import { findReports } from '../review/find'
import { reviewQueue } from '../review/queue'
import { reviewReport } from '../review/report-view'
import { yieldToEventLoop } from '../jobs/jobManager'
import { createReviewSetAsync, getReviewSet, listReviewSets } from '../review/sets'
import { createReviewer, listReviewers } from '../store/repos/reviewers'
import { handlers } from './handler'

export const reviewHandlers = handlers({
  'review.reviewers.list': (_input, ctx) => listReviewers(ctx.workspace.db),
  'review.reviewers.create': (input, ctx) => createReviewer(ctx.workspace.db, input.name, input.role),
  'review.sets.list': (_input, ctx) => listReviewSets(ctx.workspace.db),
  'review.sets.create': (input, ctx) => createReviewSetAsync(ctx.workspace.db, input, yieldToEventLoop),
  'review.sets.get': (input, ctx) => getReviewSet(ctx.workspace.db, input.setId),
  'review.queue': (input, ctx) => reviewQueue(ctx.workspace.db, input.setId, input.reviewerId, input.role),
  'review.report': (input, ctx) => reviewReport(ctx.workspace.db, input),
  'review.decide': (input, ctx) => decide(ctx.workspace.db, input),
  'review.note': (input, ctx) => setNote(ctx.workspace.db, input),
  'review.complete': (input, ctx) => complete(ctx.workspace.db, input),
  'review.recent': (input, ctx) => recentDecisions(ctx.workspace.db, input.setId, input.reviewerId, input.limit),
  'review.agreement': (input, ctx) => setAgreement(ctx.workspace.db, input.setId),
  'review.find': (input, ctx) => findReports(ctx.workspace.db, input),
  'review.export': (input, ctx) => exportCuratedCsv(ctx.workspace.db, input.setId, input.path, input.overwrite)
})
