import type {Messages} from '../messages.js'

/** German. */
export default {
  label: 'Identität bestätigen',
  loading: 'Verifizierung wird gestartet…',
  submitted: 'Danke! Ihre Dokumente wurden übermittelt.',
  verified: 'Ihre Identität ist bestätigt.',
  canceled: 'Verifizierung abgebrochen. Sie können jederzeit neu beginnen.',
  retry: 'Erneut versuchen',
  requires_input: 'Wir konnten Ihr Dokument nicht prüfen. Bitte versuchen Sie es erneut.',
  document_expired: 'Ihr Dokument ist abgelaufen. Bitte versuchen Sie es mit einem gültigen erneut.',
  failed: 'Die Verifizierung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
  session_failed: 'Die Verifizierung konnte nicht starten. Bitte versuchen Sie es später erneut.',
  network: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  stripe_unavailable: 'Der Verifizierungsdienst wurde nicht geladen. Bitte versuchen Sie es erneut.',
  config: 'Die Verifizierung ist auf dieser Seite nicht richtig eingerichtet.',
  insecure_context: 'Die Verifizierung braucht eine sichere Seite (https).',
  camera_blocked: 'Diese Seite darf Ihre Kamera nicht verwenden.',
  consent_declined: 'Die Verifizierung braucht Ihre Zustimmung. Versuchen Sie es erneut, wenn Sie es sich anders überlegen.',
  device_unsupported: 'Dieses Gerät wird nicht unterstützt. Versuchen Sie es auf einem Gerät mit Kamera.',
  under_supported_age: 'Die Verifizierung ist für Ihr Alter nicht verfügbar.',
  phone_otp_declined: 'Ihre Telefonnummer konnte nicht bestätigt werden. Bitte versuchen Sie es erneut.',
  email_verification_declined: 'Ihre E-Mail-Adresse konnte nicht bestätigt werden. Bitte versuchen Sie es erneut.',
} satisfies Messages
