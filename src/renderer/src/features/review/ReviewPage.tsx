// The Review page: choose who you are, pick or create a review set, then read (or adjudicate) it by
// keyboard. Routes: #/review (sets, finder), ?set=ID[&report=ID][&as=adjudicator] (the review screen),
// ?report=ID (a report with every source's labels, e.g. linked from Evaluate), ?set=ID&view=agreement.
import { useRoute } from '../../app/router'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading, PageHeader } from '../../ui/states'
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
  if (setId) {
    return (
      <>
        <PageHeader title={role === 'adjudicator' ? 'Review · adjudication' : 'Review'}>
          <ReviewerBar reviewer={reviewer} onSwitch={() => setReviewerId(null)} />
        </PageHeader>
        <ReviewScreen key={`${setId}-${role}`} setId={setId} reportId={reportId} reviewer={reviewer} role={role} />
      </>
    )
  }
  return (
    <>
      <PageHeader title="Review">
        <ReviewerBar reviewer={reviewer} onSwitch={() => setReviewerId(null)} />
      </PageHeader>
      <SetsHome reviewer={reviewer} />
    </>
  )
}
