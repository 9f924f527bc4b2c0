import type {Messages} from '../messages.js'

/** Dutch. */
export default {
  label: 'Je identiteit verifiëren',
  loading: 'Verificatie wordt gestart…',
  submitted: 'Bedankt! Je documenten zijn verstuurd.',
  verified: 'Je identiteit is geverifieerd.',
  canceled: 'Verificatie geannuleerd. Je kunt altijd opnieuw beginnen.',
  retry: 'Opnieuw proberen',
  requires_input: 'We konden je document niet verifiëren. Probeer het opnieuw.',
  document_expired: 'Je document is verlopen. Probeer het opnieuw met een geldig document.',
  failed: 'De verificatie is mislukt. Probeer het opnieuw.',
  session_failed: 'De verificatie kon niet starten. Probeer het later opnieuw.',
  network: 'De server is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
  stripe_unavailable: 'De verificatiedienst is niet geladen. Probeer het opnieuw.',
  config: 'De verificatie is op deze pagina niet goed ingesteld.',
  insecure_context: 'Verificatie vereist een beveiligde pagina (https).',
  camera_blocked: 'Deze pagina mag je camera niet gebruiken.',
  consent_declined: 'Voor verificatie is je toestemming nodig. Probeer het opnieuw als je van gedachten verandert.',
  device_unsupported: 'Dit apparaat wordt niet ondersteund. Probeer het op een apparaat met camera.',
  under_supported_age: 'Verificatie is niet beschikbaar voor jouw leeftijd.',
  phone_otp_declined: 'Je telefoonnummer kon niet worden bevestigd. Probeer het opnieuw.',
  email_verification_declined: 'Je e-mailadres kon niet worden bevestigd. Probeer het opnieuw.',
} satisfies Messages
