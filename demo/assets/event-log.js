// Logs every event the identity-verify elements fire, newest first, with the detail as JSON.
// The list of event names comes from the page (data-events), written once on the server.
const log = document.getElementById('event-log')
const empty = log.querySelector('.log-empty')
const time = new Intl.DateTimeFormat('en', {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false})

for (const type of log.dataset.events.split(' ')) {
  document.addEventListener(type, (event) => {
    empty.remove()
    const item = document.createElement('li')
    item.className = 'log-entry'
    item.dataset.type = type

    const head = document.createElement('div')
    head.className = 'log-head'
    const name = document.createElement('code')
    name.className = 'log-type'
    name.textContent = type
    const when = document.createElement('time')
    when.dateTime = new Date().toISOString()
    when.textContent = time.format(new Date())
    const source = document.createElement('span')
    source.className = 'log-source'
    source.textContent = event.target.id ? `#${event.target.id}` : `.${[...event.target.classList].join('.')}`
    head.append(name, source, when)

    const detail = document.createElement('pre')
    detail.className = 'log-detail'
    detail.textContent = JSON.stringify(event.detail ?? null, null, 2)

    item.append(head, detail)
    log.prepend(item)
  })
}

document.querySelector('[data-clear-log]')?.addEventListener('click', () => {
  log.replaceChildren(empty)
})
