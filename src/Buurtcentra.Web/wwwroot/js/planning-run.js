// Voorkeursplanning (Features/Planning/Runs): the run page asks for the status of the optimiser every two seconds and shows it.
// The status line is a polite live region, so a screen reader hears when the run starts, finishes or fails; the progress
// note changes every second and is therefore not announced. Without JavaScript the page reloads itself (noscript refresh).
(() => {
    const box = document.getElementById('run-status');
    if (!box || box.dataset.finished === 'true') return;
    const state = document.getElementById('run-state-text');
    const note = document.getElementById('run-note');
    const error = document.getElementById('run-error');
    const errorText = document.getElementById('run-error-text');
    const done = document.getElementById('run-done');
    const refresh = document.getElementById('run-refresh');
    let lastStatus = null;
    let failures = 0;

    async function poll() {
        try {
            const response = await fetch(box.dataset.statusUrl, { headers: { Accept: 'application/json' }, cache: 'no-store' });
            if (!response.ok) throw new Error(String(response.status));
            const run = await response.json();
            failures = 0;
            if (run.status !== lastStatus) {
                lastStatus = run.status;
                state.textContent = run.finished && run.status === 'klaar' && run.note ? `${run.statusText}. ${run.note}` : run.statusText;
            }
            note.textContent = run.finished ? '' : (run.note || '');
            if (run.finished) {
                // Exactly one of the two: the error box for a failed run, the links to the proposal for a finished one.
                if (refresh) refresh.hidden = true;
                const failed = run.status !== 'klaar';
                errorText.textContent = failed ? (run.error || '') : '';
                error.hidden = !failed;
                done.hidden = failed;
                return;
            }
        } catch {
            failures++;
            if (failures >= 5) {
                note.textContent = 'De status kon even niet worden opgehaald. Ververs de pagina.';
                return;
            }
        }
        setTimeout(poll, 2000);
    }

    if (refresh) refresh.textContent = 'Deze pagina houdt de status bij.';
    setTimeout(poll, 1000);
})();
