// The reviewer at this workstation: chosen when reviewing starts, remembered between sessions.
import { useCallback, useState } from 'react'

const KEY = 'radlabel.review.reviewerId'

export function useReviewerId(): [number | null, (id: number | null) => void] {
  const [id, setId] = useState<number | null>(() => {
    const v = Number(window.localStorage.getItem(KEY))
    return Number.isInteger(v) && v > 0 ? v : null
  })
  const set = useCallback((next: number | null) => {
    if (next === null) window.localStorage.removeItem(KEY)
    else window.localStorage.setItem(KEY, String(next))
    setId(next)
  }, [])
  return [id, set]
}
