/** Renderer entry: i18n, styles, and the App shell — or only the live screen in a detached screen window. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { App } from './App';
import { ScreenWindow } from './device/ScreenWindow';
import { parseScreenRoute } from '../../src-preload/screen-route';

const screenSerial = parseScreenRoute(location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {screenSerial ? <ScreenWindow serial={screenSerial} /> : <App />}
  </StrictMode>,
);
