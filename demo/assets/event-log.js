// Logs every event the identity-verify elements fire, newest first, with the detail as JSON.
// The list of event names comes from the page (data-events), written once on the server. The log
// is not read aloud line by line (a flow fires three or four, each a block of JSON): once the
// events pause, a screen reader hears one short summary ("2 new events in the log: start, open.").
const log = document.getElementById('event-log')
const summary = document.getElementById('event-summary')
const empty = log.querySelector('.log-empty')
const time = new Intl.DateTimeFormat('en', {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false})

let unannounced = []
let announcement
/** Counts `type` into the next summary, said a second after the last event. */
function announce(type) {
  unannounced.push(type.replace(/^identity-verify-/, ''))
  clearTimeout(announcement)
  announcement = setTimeout(() => {
    const count = unannounced.length
    summary.textContent = `${count} new event${count === 1 ? '' : 's'} in the log: ${unannounced.join(', ')}.`
    unannounced = []
  }, 1000)
}

for (const type of log.dataset.events.split(' ')) {
  document.addEventListener(type, (event) => {
    empty.remove()
    announce(type)
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
