// The app's pages, in navigation order. Each feature owns its folder and exports one page component.
import type { ComponentType } from 'react'
import { AboutPage } from '../features/about/AboutPage'
import { DetectPage } from '../features/detect/DetectPage'
import { EvaluatePage } from '../features/evaluate/EvaluatePage'
import { HomePage } from '../features/home/HomePage'
import { ImportPage } from '../features/import/ImportPage'
import { ModelsPage } from '../features/models/ModelsPage'
import { ReviewPage } from '../features/review/ReviewPage'
import { SettingsPage } from '../features/settings/SettingsPage'

export interface PageEntry {
  path: string
  title: string
  Component: ComponentType
}

export const pages: PageEntry[] = [
  { path: '/home', title: 'Home', Component: HomePage },
  { path: '/import', title: 'Import', Component: ImportPage },
  { path: '/detect', title: 'Detect', Component: DetectPage },
  { path: '/review', title: 'Review', Component: ReviewPage },
  { path: '/evaluate', title: 'Evaluate', Component: EvaluatePage },
  { path: '/models', title: 'Models', Component: ModelsPage },
  { path: '/settings', title: 'Settings', Component: SettingsPage },
  { path: '/about', title: 'About', Component: AboutPage }
]
