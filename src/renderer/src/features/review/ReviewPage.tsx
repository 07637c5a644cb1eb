import { EmptyState, PageHeader } from '../../ui/states'

export function ReviewPage(): React.JSX.Element {
  return (
    <>
      <PageHeader title="Review" />
      <EmptyState title="Review is not available yet">
        This part of RadLabel has not been built in this version.
      </EmptyState>
    </>
  )
}
