import type {Messages} from '../messages.js'

/** Italian. */
export default {
  label: 'Verifica la tua identità',
  loading: 'Avvio della verifica…',
  submitted: 'Grazie! I tuoi documenti sono stati inviati.',
  verified: 'La tua identità è verificata.',
  canceled: 'Verifica annullata. Puoi ricominciare quando vuoi.',
  retry: 'Riprova',
  requires_input: 'Non siamo riusciti a verificare il tuo documento. Riprova.',
  document_expired: 'Il tuo documento è scaduto. Riprova con un documento valido.',
  failed: 'La verifica non è riuscita. Riprova.',
  session_failed: 'Impossibile avviare la verifica. Riprova più tardi.',
  network: 'Il server non è raggiungibile. Controlla la connessione e riprova.',
  stripe_unavailable: 'Il servizio di verifica non si è caricato. Riprova.',
  config: 'La verifica non è configurata correttamente su questa pagina.',
  insecure_context: 'La verifica richiede una pagina sicura (https).',
  camera_blocked: 'Questa pagina non può usare la tua fotocamera.',
  consent_declined: 'La verifica richiede il tuo consenso. Riprova se cambi idea.',
  device_unsupported: 'Questo dispositivo non è supportato. Riprova su un dispositivo con fotocamera.',
  under_supported_age: 'La verifica non è disponibile per la tua età.',
  phone_otp_declined: 'Non è stato possibile confermare il tuo numero di telefono. Riprova.',
  email_verification_declined: 'Non è stato possibile confermare il tuo indirizzo email. Riprova.',
} satisfies Messages
