// Copy buttons for the snippets, each named by what it copies ("Copy the snippet"): the text copied
// is exactly the text shown, and each copy is announced ("The snippet is copied.").
const status = document.getElementById('copy-status')

for (const button of document.querySelectorAll('button[data-copy]')) {
  const name = button.textContent
  const what = button.dataset.copyWhat
  const What = what.charAt(0).toUpperCase() + what.slice(1)
  let restore
  button.addEventListener('click', async () => {
    const code = document.getElementById(button.dataset.copy)
    // Emptied first, so the same announcement made twice is read twice.
    status.textContent = ''
    try {
      await navigator.clipboard.writeText(code.textContent)
      button.textContent = 'Copied'
      status.textContent = `${What} is copied to the clipboard.`
    } catch {
      // Without clipboard access (an insecure origin, a denied permission), select the text instead.
      getSelection().selectAllChildren(code)
      button.textContent = 'Press Ctrl+C'
      status.textContent = `${What} is selected: press Ctrl+C (or ⌘C) to copy it.`
    }
    clearTimeout(restore)
    restore = setTimeout(() => (button.textContent = name), 2000)
  })
}
