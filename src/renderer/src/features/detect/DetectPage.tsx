import { EmptyState, PageHeader } from '../../ui/states'

export function DetectPage(): React.JSX.Element {
  return (
    <>
      <PageHeader title="Detect" />
      <EmptyState title="Detect is not available yet">
        This part of RadLabel has not been built in this version.
      </EmptyState>
    </>
  )
}
