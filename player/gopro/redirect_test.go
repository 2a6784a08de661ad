package gopro

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClientDoesNotFollowRedirects(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		elsewhere.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":1,"error":0}`))
	}))
	defer other.Close()
	camera := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer camera.Close()

	_, err := NewClient(camera.URL, nil).WebcamStatus(context.Background())
	var api *APIError
	if !errors.As(err, &api) || api.HTTPStatus != http.StatusFound {
		t.Fatalf("err = %v, want the camera's 302 as an APIError", err)
	}
	if want := "a redirect to " + other.URL; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to say %q", err, want)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the server redirected to got %d requests, want none", n)
	}
}
