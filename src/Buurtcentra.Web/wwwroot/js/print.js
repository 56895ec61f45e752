// Overzichten (Agenda): shows the "Afdrukken" button and prints the page with it.
// Without JavaScript the button stays hidden and Ctrl+P works as usual. Loaded as a file because the CSP allows no inline script.
for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
}
