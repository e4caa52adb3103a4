// Package verification owns the authenticity verification (真实性核验) of an order's responsible
// persons: single-use QR codes, the scan that opens a short session, face photos judged by a
// FaceChecker (and optionally a FaceVerifier), and the person's confirmation of the passed photo.
// It reads orders through VerificationParties (a scan gets its order with the consumed token from
// the VerificationStore) and never changes them.
package verification
