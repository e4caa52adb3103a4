// Package h5 serves the mobile page a verification QR code opens: ${BEIAN_PUBLIC_URL}/v/{token}.
//
// The person who scans the code needs no account. The page shows whose verification it is (name
// masked), the order type and the service, asks for a separate consent to processing the face
// photo, takes the photo with the phone camera, shrinks it in the browser and uploads it, shows
// the checker's reasons with the tries left, and lets the person confirm the photo.
//
// Opening the page does not consume the code. GET /v/{token} only reads the token (a link preview
// fetched by a chat app, or the same link opened in a second tab, leaves it usable) and answers a
// used, replaced, expired or unknown code with a page that says so. The code is consumed when the
// person ticks the consent and presses 开始核验: the page's script then calls the same endpoints
// as the provider's app, POST /api/v1/verification-scans with the token (exactly one scan wins),
// then /api/v1/verification-sessions/face and /confirm with the session token it got back. The
// session token lives in the tab's sessionStorage only, so a reload of that tab resumes where it
// was while another tab or device sees the code as used.
//
// Pages carry a strict Content-Security-Policy (scripts and styles from this origin only, no
// inline script), no-store caching and no Referer, since the URL holds the token.
package h5
