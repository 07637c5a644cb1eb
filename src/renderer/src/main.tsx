import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { preventDropNavigation } from './app/dropGuard'
import './app/theme.css'
import { applyTheme, readThemePreference } from './features/settings/theme'

applyTheme(readThemePreference())
preventDropNavigation()

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>
)
