import { createRoot } from 'react-dom/client';

function App() {
  return <main>ExportDesk</main>;
}

createRoot(document.getElementById('root')!).render(<App />);
