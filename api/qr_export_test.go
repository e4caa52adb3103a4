package api

// QRCacheEntries exposes the QR image cache's bound to the external tests, so a benchmark can
// defeat the cache on purpose.
const QRCacheEntries = qrCacheEntries
