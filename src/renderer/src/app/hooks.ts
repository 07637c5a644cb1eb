// Data hooks every page uses: a call with loading/error state, and live job snapshots.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { CallInput, CallName, CallResult } from '../../../common/ipc/contract'
import type { JobSnapshot } from '../../../common/types'
import { call, onEvent } from './api'

export interface CallState<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload(): void
}

/** Runs `name(input)` when the serialised input changes; `input: null` skips the call. */
export function useCall<N extends CallName>(name: N, input: CallInput<N> | null): CallState<CallResult<N>> {
  const [data, setData] = useState<CallResult<N>>()
  const [error, setError] = useState<Error>()
  const [loading, setLoading] = useState(input !== null)
  const [tick, setTick] = useState(0)
  const key = input === null ? null : JSON.stringify(input)
  useEffect(() => {
    if (key === null) return
    let live = true
    setLoading(true)
    call(name, JSON.parse(key) as CallInput<N>)
      .then((value) => {
        if (!live) return
        setData(value)
        setError(undefined)
      })
      .catch((err: Error) => live && setError(err))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [name, key, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}

/** The latest snapshot of one job, live. */
export function useJob(id: number | null | undefined): JobSnapshot | undefined {
  const [job, setJob] = useState<JobSnapshot>()
  useEffect(() => {
    setJob(undefined)
    if (id == null) return
    let live = true
    const off = onEvent('job.updated', (snapshot) => {
      if (snapshot.id === id) setJob(snapshot)
    })
    call('jobs.get', { id })
      .then((snapshot) => live && setJob((current) => current ?? snapshot))
      .catch(() => {})
    return () => {
      live = false
      off()
    }
  }, [id])
  return job
}

/** Calls `fn` whenever any job changes state or finishes (lists refresh themselves). */
export function useOnJobChange(fn: (job: JobSnapshot) => void): void {
  const ref = useRef(fn)
  ref.current = fn
  useEffect(
    () =>
      onEvent('job.updated', (job) => {
        if (job.status !== 'running') ref.current(job)
      }),
    []
  )
}

/**
 * A label-set choice that starts at the label set the workspace uses (app.overview) until the user
 * picks one: forms that label or sample reports default to what the workspace already holds.
 */
export function useWorkspaceLabelSet(fallback = 'chexpert14'): [string, (slug: string) => void] {
  const overview = useCall('app.overview', {})
  const [chosen, setChosen] = useState<string | null>(null)
  return [chosen ?? overview.data?.labelSet?.slug ?? fallback, setChosen]
}
