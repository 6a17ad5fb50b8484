package metrics

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestWithToken: without the bearer token, or with another, a scrape is
// refused; with it, it is served.
func TestWithToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := WithToken("s3cret", ok)
	for _, c := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer other", 401}, {"Bearer s3cret", 200}, {"s3cret", 401}} {
		r := httptest.NewRequest(http.MethodGet, Path, nil)
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("Authorization %q: %d; want %d", c.auth, w.Code, c.want)
		}
	}
}

func TestReadToken(t *testing.T) {
	dir := t.TempDir()
	good, empty := filepath.Join(dir, "token"), filepath.Join(dir, "empty")
	os.WriteFile(good, []byte("  abc \nignored\n"), 0o600)
	os.WriteFile(empty, []byte("\n"), 0o600)
	if tok, err := ReadToken(good); err != nil || tok != "abc" {
		t.Errorf("ReadToken = %q, %v; want abc", tok, err)
	}
	if _, err := ReadToken(empty); err == nil {
		t.Error("an empty token file was taken")
	}
	if _, err := ReadToken(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing token file was taken")
	}
}
