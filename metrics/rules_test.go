package metrics

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/omsd/omsd/internal/testpeer"
)

// rulesDir holds the shipped alert rules and their tests.
const rulesDir = "../deploy/prometheus"

// TestShippedRules: promtool checks the shipped alert rules and runs
// their tests, which give every alert series that fire it and series that
// do not.
func TestShippedRules(t *testing.T) {
	promtool := testpeer.Promtool(t)
	for _, args := range [][]string{{"check", "rules", "omsd.rules.yml"}, {"test", "rules", "omsd.rules.test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = rulesDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}

// TestRulesNameOurMetrics: every omsd_ metric the shipped rules read is
// one the service exports, so a renamed metric cannot silence an alert.
func TestRulesNameOurMetrics(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(rulesDir, "omsd.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	ch := make(chan *prometheus.Desc, 100)
	go func() {
		newSet().Describe(ch)
		scrapeCollector{}.Describe(ch)
		close(ch)
	}()
	fq := regexp.MustCompile(`fqName: "([a-z_:]+)"`)
	for d := range ch {
		if m := fq.FindStringSubmatch(d.String()); m != nil {
			exported[m[1]] = true
		}
	}
	used := regexp.MustCompile(`\bomsd_[a-z_]+`).FindAllString(string(b), -1)
	if len(used) == 0 {
		t.Fatal("the rules read no omsd_ metric")
	}
	for _, name := range used {
		if !exported[name] {
			t.Errorf("the rules read %s, which the service does not export", name)
		}
	}
}
