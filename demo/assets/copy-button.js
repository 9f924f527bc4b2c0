// Copy buttons for the snippets: the text copied is exactly the text shown.
const status = document.getElementById('copy-status')

for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const code = document.getElementById(button.dataset.copy)
    try {
      await navigator.clipboard.writeText(code.textContent)
      button.textContent = 'Copied'
      status.textContent = 'Copied to the clipboard.'
    } catch {
      // Without clipboard access (an insecure origin, a denied permission), select the text instead.
      getSelection().selectAllChildren(code)
      button.textContent = 'Press Ctrl+C'
      status.textContent = 'The snippet is selected: press Ctrl+C (or ⌘C) to copy it.'
    }
    setTimeout(() => (button.textContent = 'Copy'), 2000)
  })
}
