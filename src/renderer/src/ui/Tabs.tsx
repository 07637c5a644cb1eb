// Tabs after the WAI-ARIA tabs pattern: one tab stop (the selected tab), Left/Right (and Home/End)
// move between tabs and select them, each tab controls its panel.
import { useId, useRef, type ReactNode } from 'react'

export interface TabItem<K extends string> {
  key: K
  title: string
}

export function Tabs<K extends string>(props: {
  label: string
  tabs: TabItem<K>[]
  selected: K
  onSelect(key: K): void
  children: ReactNode
}): React.JSX.Element {
  const base = useId()
  const refs = useRef(new Map<K, HTMLButtonElement>())
  const index = props.tabs.findIndex((t) => t.key === props.selected)
  const move = (to: number): void => {
    const tab = props.tabs[(to + props.tabs.length) % props.tabs.length]
    props.onSelect(tab.key)
    refs.current.get(tab.key)?.focus()
  }
  return (
    <>
      <div
        className="tabs"
        role="tablist"
        aria-label={props.label}
        onKeyDown={(e) => {
          const keys: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: props.tabs.length - 1 }
          if (e.key in keys) {
            e.preventDefault()
            move(keys[e.key])
          }
        }}
      >
        {props.tabs.map((t) => (
          <button
            key={t.key}
            ref={(el) => {
              if (el) refs.current.set(t.key, el)
              else refs.current.delete(t.key)
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.key}`}
            aria-selected={t.key === props.selected}
            aria-controls={`${base}-panel`}
            tabIndex={t.key === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.key)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${props.selected}`} className="tab-panel">
        {props.children}
      </div>
    </>
  )
}
