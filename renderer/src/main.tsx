import { createRoot } from 'react-dom/client';
import { createClient } from '#shared/transport/client';
import './app/app.css';
import { App } from './app/App';
import { defaultTransport, setClient } from './app/client';

setClient(createClient(defaultTransport()));
createRoot(document.getElementById('root')!).render(<App />);
