package channels

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/omsd/omsd/config"
)

// webhookTimeout bounds one POST to a portal's webhook.
const webhookTimeout = 60 * time.Second

// webhookBody is what a portal's webhook receives for one piece.
type webhookBody struct {
	portalRecord
	PDF []byte `json:"pdf"` // base64 in JSON
}

// Sign is the X-Omsd-Signature header of a webhook request: sha256= and
// the hex HMAC-SHA256 of body under secret. A receiver checks it with
// hmac.Equal on its own computation.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// postPiece posts a piece to the portal's webhook, signed, with the
// idempotency key JOB-SEQ, and returns the reply's status; any status but
// 2xx is an error.
func postPiece(ps *config.PortalSettings, key, src string, rec portalRecord) (string, error) {
	pdf, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(webhookBody{portalRecord: rec, PDF: pdf})
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ps.Webhook, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("X-Omsd-Signature", Sign(ps.Secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("the webhook answered %s", resp.Status)
	}
	return resp.Status, nil
}
