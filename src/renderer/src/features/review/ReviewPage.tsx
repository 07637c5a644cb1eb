// The Review page: choose who you are, pick or create a review set, then read (or adjudicate) it by
// keyboard. Routes: #/review (sets, finder), ?set=ID[&report=ID][&as=adjudicator] (the review screen),
// ?report=ID (a report with every source's labels, e.g. linked from Evaluate), ?set=ID&view=agreement.
import { href, navigate, useRoute } from '../../app/router'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { AgreementView } from './AgreementView'
import { Finder } from './Finder'
import { ReviewerBar, ReviewerPicker } from './ReviewerPicker'
import { ReviewScreen } from './ReviewScreen'
import { SetsHome } from './SetsHome'
import { useReviewerId } from './reviewer'
import './review.css'

export function ReviewPage(): React.JSX.Element {
  const route = useRoute()
  const [reviewerId, setReviewerId] = useReviewerId()
  const reviewers = useCall('review.reviewers.list', {})
  const setId = Number(route.params.get('set')) || null
  const reportId = Number(route.params.get('report')) || null
  const view = route.params.get('view')
  const role = route.params.get('as') === 'adjudicator' ? 'adjudicator' : 'reader'

  if (reviewers.error) return <ErrorBanner error={reviewers.error} onRetry={reviewers.reload} />
  if (!reviewers.data) return <Loading what="reviewers" />
  const reviewer = reviewers.data.find((r) => r.id === reviewerId) ?? null
  // Another reviewer starts at their own first open report, not at the report the last one was on.
  const switchReviewer = (): void => {
    setReviewerId(null)
    if (setId) navigate('/review', { set: setId, as: role === 'adjudicator' ? 'adjudicator' : undefined })
  }

  if (!setId && reportId) {
    return (
      <>
        <PageHeader title="Review · report" />
        <ReviewScreen reportId={reportId} setId={null} reviewer={reviewer} role="reader" />
      </>
    )
  }
  if (view === 'find') {
    return (
      <>
        <PageHeader title="Review · find reports" />
        <Finder initialSetId={setId} />
      </>
    )
  }
  if (setId && view === 'agreement') {
    return (
      <>
        <PageHeader title="Review · agreement" />
        <AgreementView setId={setId} />
      </>
    )
  }
  if (!reviewer) {
    return (
      <>
        <PageHeader title="Review" />
        <ReviewerPicker reviewers={reviewers.data} onChoose={setReviewerId} onCreated={reviewers.reload} />
      </>
    )
  }
  if (setId && role === 'reader' && reviewer.role === 'adjudicator') {
    return (
      <>
        <PageHeader title="Review">
          <ReviewerBar reviewer={reviewer} onSwitch={switchReviewer} />
        </PageHeader>
        <AdjudicatorReading setId={setId} reviewerName={reviewer.name}>
          <ReviewScreen key={`${setId}-reader`} setId={setId} reportId={reportId} reviewer={reviewer} role="reader" />
        </AdjudicatorReading>
      </>
    )
  }
  if (setId) {
    return (
      <>
        <PageHeader title={role === 'adjudicator' ? 'Review · adjudication' : 'Review'}>
          <ReviewerBar reviewer={reviewer} onSwitch={switchReviewer} />
        </PageHeader>
        <ReviewScreen key={`${setId}-${role}`} setId={setId} reportId={reportId} reviewer={reviewer} role={role} />
      </>
    )
  }
  return (
    <>
      <PageHeader title="Review">
        <ReviewerBar reviewer={reviewer} onSwitch={switchReviewer} />
      </PageHeader>
      <SetsHome reviewer={reviewer} />
    </>
  )
}

/** An adjudicator opened a set to read it: fine for a single-read set; a double-read set sends them to adjudication. */
function AdjudicatorReading({ setId, reviewerName, children }: { setId: number; reviewerName: string; children: React.ReactNode }): React.JSX.Element {
  const set = useCall('review.sets.get', { setId })
  if (set.error) return <ErrorBanner error={set.error} onRetry={set.reload} />
  if (!set.data) return <Loading what="review set" />
  if (set.data.readersPerReport === 1) return <>{children}</>
  return (
    <EmptyState title={`${reviewerName} adjudicates “${set.data.name}”`}>
      In a double-read set, adjudicators settle the two readers’ disagreements and do not read themselves.{' '}
      <a href={href('/review', { set: setId, as: 'adjudicator' })}>Adjudicate this set</a> or switch to a reader’s profile.
    </EmptyState>
  )
}
