import type {Messages} from '../messages.js'

/** Japanese. */
export default {
  label: '本人確認をする',
  loading: '本人確認を開始しています…',
  submitted: 'ありがとうございます。書類を送信しました。',
  verified: '本人確認が完了しました。',
  canceled: '本人確認をキャンセルしました。いつでもやり直せます。',
  retry: 'もう一度試す',
  requires_input: '書類を確認できませんでした。もう一度お試しください。',
  document_expired: '書類の有効期限が切れています。有効な書類でもう一度お試しください。',
  failed: '本人確認に失敗しました。もう一度お試しください。',
  session_failed: '本人確認を開始できませんでした。しばらくしてからお試しください。',
  network: 'サーバーに接続できません。接続を確認してもう一度お試しください。',
  stripe_unavailable: '本人確認サービスを読み込めませんでした。もう一度お試しください。',
  config: 'このページの本人確認の設定が正しくありません。',
  insecure_context: '本人確認には安全なページ（https）が必要です。',
  camera_blocked: 'このページではカメラを使用できません。',
  consent_declined: '本人確認には同意が必要です。気が変わったらもう一度お試しください。',
  device_unsupported: 'この端末は使用できません。カメラ付きの端末でお試しください。',
  under_supported_age: 'ご年齢では本人確認をご利用いただけません。',
  phone_otp_declined: '電話番号を確認できませんでした。もう一度お試しください。',
  email_verification_declined: 'メールアドレスを確認できませんでした。もう一度お試しください。',
} satisfies Messages
