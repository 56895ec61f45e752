// Agenda-abonnementen (Features/Feeds): "Kopieer" buttons next to the read-only link fields. Without JavaScript or
// without clipboard access the buttons stay hidden and the field is the fallback: select the link and copy it.
// Loaded as a file because the CSP allows no inline script.
for (const input of document.querySelectorAll('[data-select-on-focus]')) {
    input.addEventListener('focus', () => input.select());
}
for (const button of document.querySelectorAll('[data-copy]')) {
    const input = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!input || !navigator.clipboard || !window.isSecureContext) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
        try {
            await navigator.clipboard.writeText(input.value);
            if (status) status.textContent = 'De link is gekopieerd.';
        } catch {
            input.focus();
            input.select();
            if (status) status.textContent = 'Kopiëren lukte niet. De link is geselecteerd: kopieer hem met Ctrl+C of Cmd+C.';
        }
    });
}
