package localapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

func newHandler(t *testing.T) (http.Handler, *localapitest.Backend) {
	b := localapitest.New()
	return localapi.NewHandler(b, zerolog.New(zerolog.NewTestWriter(t))), b
}

func do(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestStatusCodes(t *testing.T) {
	tests := []struct {
		name, method, target string
		want                 int
		errHas               string // substring of the error document, for errors
	}{
		{"status", "GET", "/v1/status", 200, ""},
		{"jobs", "GET", "/v1/jobs", 200, ""},
		{"jobs by state", "GET", "/v1/jobs?state=held,pending", 200, ""},
		{"jobs bad state", "GET", "/v1/jobs?state=held,done", 400, `bad state \"done\"`},
		{"job", "GET", "/v1/jobs/1", 200, ""},
		{"job missing", "GET", "/v1/jobs/99", 404, "job 99: api: not found"},
		{"job id not a number", "GET", "/v1/jobs/abc", 400, `bad job id \"abc\"`},
		{"job id zero", "GET", "/v1/jobs/0", 400, "bad job id"},
		{"job id negative", "GET", "/v1/jobs/-3", 400, "bad job id"},
		{"job id too big", "GET", "/v1/jobs/99999999999999999999", 400, "bad job id"},
		{"hold", "POST", "/v1/jobs/1/hold", 200, ""},
		{"hold held", "POST", "/v1/jobs/2/hold", 409, "api: conflict"},
		{"release", "POST", "/v1/jobs/2/release", 200, ""},
		{"release pending", "POST", "/v1/jobs/1/release", 409, "job 1 is pending"},
		{"cancel", "POST", "/v1/jobs/1/cancel", 200, ""},
		{"cancel missing", "POST", "/v1/jobs/5/cancel", 404, "not found"},
		{"cancel bad id", "POST", "/v1/jobs/x/cancel", 400, "bad job id"},
		{"unknown action", "POST", "/v1/jobs/1/explode", 404, "no such endpoint"},
		{"submit", "POST", "/v1/jobs?name=a.pdf&workflow=invoices", 201, ""},
		{"submit bad workflow", "POST", "/v1/jobs?workflow=nosuch", 400, `workflow \"nosuch\"`},
		{"submit backend failure", "POST", "/v1/jobs?workflow=broken", 500, "disk on fire"},
		{"submit bad hold", "POST", "/v1/jobs?hold=maybe", 400, "bad hold"},
		{"printers", "GET", "/v1/printers", 200, ""},
		{"preview", "GET", "/v1/jobs/1/preview?piece=1&image=1", 200, ""},
		{"preview no piece", "GET", "/v1/jobs/1/preview", 400, "bad piece"},
		{"preview bad image", "GET", "/v1/jobs/1/preview?piece=1&image=yes", 400, "bad image"},
		{"preview missing piece", "GET", "/v1/jobs/1/preview?piece=7", 404, "no piece 7"},
		{"preview missing job", "GET", "/v1/jobs/99/preview?piece=1", 404, "not found"},
		{"events bad job", "GET", "/v1/events?job=x", 400, "bad job"},
		{"status by POST", "POST", "/v1/status", 405, "method POST not allowed"},
		{"jobs by DELETE", "DELETE", "/v1/jobs", 405, "not allowed"},
		{"job by POST", "POST", "/v1/jobs/1", 405, "not allowed"},
		{"hold by GET", "GET", "/v1/jobs/1/hold", 405, "not allowed"},
		{"printers by PUT", "PUT", "/v1/printers", 405, "not allowed"},
		{"unversioned", "GET", "/jobs", 404, "no such endpoint"},
		{"old version", "GET", "/v0/status", 404, "no such endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHandler(t)
			rec := do(h, tt.method, tt.target, "%PDF-1.7")
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.want, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != api.ContentTypeJSON {
				t.Errorf("Content-Type = %q, want %q", ct, api.ContentTypeJSON)
			}
			if tt.errHas == "" {
				return
			}
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc) != 1 {
				t.Fatalf("error body %s is not an {\"error\": ...} document (%v)", rec.Body, err)
			}
			if !strings.Contains(rec.Body.String(), tt.errHas) {
				t.Errorf("error body %s does not contain %q", rec.Body, tt.errHas)
			}
		})
	}
}

func TestMethodNotAllowedHeader(t *testing.T) {
	h, _ := newHandler(t)
	rec := do(h, "PATCH", "/v1/jobs", "")
	allow := strings.Split(rec.Header().Get("Allow"), ", ")
	sort.Strings(allow)
	if want := []string{"GET", "HEAD", "POST"}; !reflect.DeepEqual(allow, want) {
		t.Errorf("Allow = %v, want %v", allow, want)
	}
}

// objectKeys returns the sorted keys of the JSON object b.
func objectKeys(t *testing.T, b []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestJobJSONShape(t *testing.T) {
	h, _ := newHandler(t)
	rec := do(h, "GET", "/v1/jobs/1", "")
	var doc struct {
		PiecesDetail []json.RawMessage `json:"pieces_detail"`
		Events       []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"attempts", "created", "events", "id", "name", "pages", "pieces", "pieces_detail",
		"printer", "sheets", "sheets_sent", "source", "state", "state_reasons", "updated", "workflow"}
	if got := objectKeys(t, rec.Body.Bytes()); !reflect.DeepEqual(got, want) {
		t.Errorf("job keys = %v, want %v", got, want)
	}
	if len(doc.PiecesDetail) != 2 || len(doc.Events) != 1 {
		t.Fatalf("pieces_detail %d, events %d; want 2, 1", len(doc.PiecesDetail), len(doc.Events))
	}
	pieceKeys := []string{"first_page", "meta", "pages", "seq", "sheets"}
	if got := objectKeys(t, doc.PiecesDetail[0]); !reflect.DeepEqual(got, pieceKeys) {
		t.Errorf("piece keys = %v, want %v", got, pieceKeys)
	}
	evKeys := []string{"job", "message", "reasons", "seq", "state", "time", "type"}
	if got := objectKeys(t, doc.Events[0]); !reflect.DeepEqual(got, evKeys) {
		t.Errorf("event keys = %v, want %v", got, evKeys)
	}
	var d api.JobDetail
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.ID != 1 || d.Name != "inv.pdf" || d.PiecesDetail[0].Meta["zip"] != "10115" || d.State != "pending" {
		t.Errorf("decoded detail = %+v", d)
	}
}

func TestListJSON(t *testing.T) {
	tests := []struct {
		target string
		want   string // exact body
	}{
		{"/v1/jobs?state=completed", "[]\n"},
		{"/v1/jobs?state=held", `[{"id":2,"name":"letters.pdf","workflow":"letters","printer":"lp1","state":"held",` +
			`"state_reasons":["job-hold-until-specified"],"source":"lpd","user":"alice","origin":"lpd alice@10.1.2.3 queue stmts","pieces":1,"pages":4,"sheets":4,"sheets_sent":0,` +
			`"attempts":0,"created":"2026-03-04T05:06:07Z","updated":"2026-03-04T05:06:07Z"}]` + "\n"},
	}
	for _, tt := range tests {
		h, _ := newHandler(t)
		if rec := do(h, "GET", tt.target, ""); rec.Body.String() != tt.want {
			t.Errorf("GET %s = %s, want %s", tt.target, rec.Body, tt.want)
		}
	}
}

func TestJobsQueryPassed(t *testing.T) {
	tests := []struct {
		target string
		want   api.JobQuery
		status int
	}{
		{"/v1/jobs", api.JobQuery{}, 200},
		{"/v1/jobs?all=1&limit=20&before=300", api.JobQuery{All: true, Limit: 20, Before: 300}, 200},
		{"/v1/jobs?state=completed&limit=5", api.JobQuery{States: []string{"completed"}, Limit: 5}, 200},
		{"/v1/jobs?limit=-1", api.JobQuery{}, 400},
		{"/v1/jobs?before=x", api.JobQuery{}, 400},
		{"/v1/jobs?all=maybe", api.JobQuery{}, 400},
	}
	for _, tt := range tests {
		h, b := newHandler(t)
		rec := do(h, "GET", tt.target, "")
		if rec.Code != tt.status {
			t.Errorf("GET %s = %d %s, want %d", tt.target, rec.Code, rec.Body, tt.status)
			continue
		}
		if got := b.Query(); tt.status == 200 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("GET %s: backend got %+v, want %+v", tt.target, got, tt.want)
		}
	}
}

func TestJobsStatesPassed(t *testing.T) {
	h, b := newHandler(t)
	do(h, "GET", "/v1/jobs?state=held,,pending", "")
	if got, want := b.States(), []string{"held", "pending"}; !reflect.DeepEqual(got, want) {
		t.Errorf("backend got states %v, want %v", got, want)
	}
}

func TestSubmit(t *testing.T) {
	h, b := newHandler(t)
	rec := do(h, "POST", "/v1/jobs?name=a.pdf&workflow=invoices&hold=1", "%PDF-1.7 body")
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var j api.Job
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if loc := rec.Header().Get("Location"); loc != api.JobPath(j.ID) {
		t.Errorf("Location = %q, want %q", loc, api.JobPath(j.ID))
	}
	opt, body := b.Submitted()
	if want := (api.SubmitOptions{Name: "a.pdf", Workflow: "invoices", Hold: true}); !reflect.DeepEqual(opt, want) {
		t.Errorf("options = %+v, want %+v", opt, want)
	}
	if string(body) != "%PDF-1.7 body" {
		t.Errorf("body = %q", body)
	}
	if j.State != "held" {
		t.Errorf("state = %q, want held", j.State)
	}
}
