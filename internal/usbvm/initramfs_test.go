package usbvm

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestBuildInitramfsCache(t *testing.T) {
	cache, src := t.TempDir(), t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	spec := initramfsSpec{
		busybox: write("busybox", "not really busybox"),
		modules: []string{write("usbcore.ko", "module")},
		init:    initScript(testGadget, []string{"usbcore.ko"}),
		script:  "echo hello\n",
		files:   map[string]string{"/usbvm/run.sh": write("run.sh", "#!/bin/sh\necho run\n")},
	}
	first, reused, err := buildInitramfs(cache, spec)
	if err != nil || reused {
		t.Fatalf("first build: %s, reused %v, %v", first, reused, err)
	}
	again, reused, err := buildInitramfs(cache, spec)
	if err != nil || !reused || again != first {
		t.Fatalf("second build: %s, reused %v, %v; want %s reused", again, reused, err, first)
	}
	spec.script = "echo changed\n"
	changed, reused, err := buildInitramfs(cache, spec)
	if err != nil || reused || changed == first {
		t.Fatalf("build with a changed script: %s, reused %v, %v", changed, reused, err)
	}
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Errorf("the outdated initramfs %s was kept", first)
	}

	f, err := os.Open(changed)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range readNewc(t, raw) {
		files[e.name] = e.data
	}
	for name, want := range map[string]string{
		"bin/busybox": "not really busybox", "bin/sh": "busybox", "usbvm/script.sh": "echo changed\n",
		"usbvm/run.sh": "#!/bin/sh\necho run\n", "lib/modules/usbvm/usbcore.ko": "module",
	} {
		if got, ok := files[name]; !ok || got != want {
			t.Errorf("initramfs %s = %q (present %v), want %q", name, got, ok, want)
		}
	}
	if _, ok := files["dev/console"]; !ok {
		t.Error("initramfs lacks dev/console: init would have no output")
	}
	if !bytes.HasPrefix([]byte(files["init"]), []byte("#!/bin/sh\n")) {
		t.Errorf("init is %.40q", files["init"])
	}
}
