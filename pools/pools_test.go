package pools

import (
	"reflect"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
)

func TestCanPrint(t *testing.T) {
	yes, no := true, false
	pdf, afp := "application/pdf", "application/vnd.ibm.modcap"
	tests := []struct {
		name  string
		decl  config.Capabilities
		asked *drivers.Capabilities
		n     Needs
		want  bool
	}{
		{"nothing known", config.Capabilities{}, nil, Needs{Format: pdf, Duplex: true, Color: true, Media: "a4"}, true},
		{"declared format", config.Capabilities{Formats: []string{afp}}, nil, Needs{Format: pdf}, false},
		{"octet-stream takes all", config.Capabilities{Formats: []string{"application/octet-stream"}}, nil, Needs{Format: afp}, true},
		{"asked format", config.Capabilities{}, &drivers.Capabilities{Formats: []string{pdf}}, Needs{Format: afp}, false},
		{"declared wins over asked", config.Capabilities{Formats: []string{afp}}, &drivers.Capabilities{Formats: []string{pdf}}, Needs{Format: afp}, true},
		{"asked one-sided", config.Capabilities{}, &drivers.Capabilities{}, Needs{Duplex: true}, false},
		{"declared duplex", config.Capabilities{Duplex: &yes}, &drivers.Capabilities{}, Needs{Duplex: true}, true},
		{"declared mono", config.Capabilities{Color: &no}, &drivers.Capabilities{Color: true}, Needs{Color: true}, false},
		{"media", config.Capabilities{Media: []string{"a4"}}, nil, Needs{Media: "letter"}, false},
	}
	for _, tt := range tests {
		if got := CanPrint(tt.decl, tt.asked, tt.n); got != tt.want {
			t.Errorf("%s: CanPrint = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		members []Member
		want    string
	}{
		{nil, ""},
		{[]Member{{Name: "a", CanPrint: true, Available: true, Load: 5}, {Name: "b", CanPrint: true, Available: true, Load: 2}}, "b"},
		{[]Member{{Name: "a", CanPrint: true, Available: true}, {Name: "b", CanPrint: true, Available: true}}, "a"}, // tie: first
		{[]Member{{Name: "a", CanPrint: false, Available: true}, {Name: "b", CanPrint: true, Available: true, Load: 9}}, "b"},
		{[]Member{{Name: "a", CanPrint: true, Available: false}, {Name: "b", CanPrint: false, Available: true}}, ""},
	}
	for i, tt := range tests {
		if got := Pick(tt.members); got != tt.want {
			t.Errorf("case %d: Pick = %q; want %q", i, got, tt.want)
		}
	}
}

func TestDeviceAvailable(t *testing.T) {
	if ok, why := DeviceAvailable("ipp", drivers.Status{State: "idle"}, nil); ok || why != "device not accepting jobs" {
		t.Errorf("ipp not accepting: %v %q", ok, why)
	}
	if ok, _ := DeviceAvailable("lpr", drivers.Status{State: "idle"}, nil); !ok {
		t.Error("an lpr queue that does not say it accepts jobs is not available")
	}
	if ok, why := DeviceAvailable("file", drivers.Status{State: "stopped"}, nil); ok || why != "device stopped" {
		t.Errorf("stopped: %v %q", ok, why)
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		sheets []int
		max    int
		want   []int
	}{
		{nil, 5, nil},
		{[]int{1, 2, 3}, 0, []int{3}},
		{[]int{2, 2, 2, 2}, 4, []int{2, 2}},
		{[]int{2, 2, 1, 3}, 5, []int{3, 1}},
		{[]int{9, 1, 1}, 5, []int{1, 2}}, // an envelope larger than max is a chunk of its own
		{[]int{1, 9, 1}, 5, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		if got := Cut(tt.sheets, tt.max); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Cut(%v, %d) = %v; want %v", tt.sheets, tt.max, got, tt.want)
		}
	}
}
