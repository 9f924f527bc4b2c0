/**
 * Under which key the per-IP limit counts a client address. One person holds one IPv4 address (or
 * shares it behind a NAT), but is usually given a whole IPv6 /64 and may pick any address inside it:
 * counting IPv6 by the exact address would hand them 2^64 fresh limits.
 */

/** The four bytes of a dotted IPv4 address, or null. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null
  const bytes = parts.map(Number)
  return bytes.every((byte) => byte <= 255) ? bytes : null
}

/** The groups (1 to 4 hex digits each) of one side of `::`, the last one possibly a dotted IPv4 address. */
function parseGroups(text: string): number[] | null {
  if (text === '') return []
  const parts = text.split(':')
  const groups: number[] = []
  for (const [index, part] of parts.entries()) {
    const ipv4 = index === parts.length - 1 && part.includes('.') ? parseIpv4(part) : null
    if (ipv4) groups.push((ipv4[0]! << 8) | ipv4[1]!, (ipv4[2]! << 8) | ipv4[3]!)
    else if (/^[0-9a-f]{1,4}$/.test(part)) groups.push(parseInt(part, 16))
    else return null
  }
  return groups
}

/** The eight 16-bit groups of an IPv6 address (lower case, no zone), `::` expanded; null when it is not one. */
function parseIpv6(text: string): number[] | null {
  const halves = text.split('::')
  if (halves.length > 2) return null
  const head = parseGroups(halves[0]!)
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : []
  if (!head || !tail) return null
  if (halves.length === 1) return head.length === 8 ? head : null
  // `::` stands for at least one group of zeros.
  const missing = 8 - head.length - tail.length
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null
}

/**
 * The key the per-IP limit counts `address` under: an IPv4 address as itself (`192.0.2.1`), an
 * IPv4-mapped IPv6 address as the IPv4 address it carries (`::ffff:192.0.2.1` → `192.0.2.1`), and
 * any other IPv6 address as its /64 prefix (`2001:db8:0:1::/64`), whatever its notation, brackets or
 * zone id (`fe80::1%eth0`). A string that is no address is its own key.
 */
export function addressGroup(address: string): string {
  let text = address.trim().toLowerCase()
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const ipv4 = parseIpv4(text)
  if (ipv4) return ipv4.join('.')
  const groups = parseIpv6(text.split('%')[0]!)
  if (!groups) return text
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}
