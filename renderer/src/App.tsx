// Placeholder shown until the desktop UI lands; it points people at the CLI, which works today.

import logoUrl from '../../assets/icon.svg';

export function App() {
  return (
    <main className="placeholder">
      <header className="brand">
        <img className="brand-mark" src={logoUrl} alt="" width={56} height={56} />
        <h1>Ferry</h1>
      </header>
      <p className="tagline">Share files between computers on the same local network.</p>
      <section className="notice" aria-labelledby="notice-title">
        <h2 id="notice-title">The desktop app is under construction</h2>
        <p>
          Until it is ready, the command line does the job: run <code>npx ferry receive</code> on
          the computer that gets the files, then <code>npx ferry send</code> on the one that has
          them.
        </p>
      </section>
    </main>
  );
}
