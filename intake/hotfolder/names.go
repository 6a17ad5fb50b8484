package hotfolder

import (
	"path/filepath"
	"strings"
)

// tempExts are name endings of files still being written by common tools
// (editors, browsers, copy programs); compared in lower case.
var tempExts = []string{".tmp", ".part", ".partial", ".crdownload"}

// isInput reports whether a regular file called name may be taken as a print
// file under c (c with defaults applied).
func (c Config) isInput(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		return false
	}
	if c.isDoneFile(name) {
		return false
	}
	lower := strings.ToLower(name)
	for _, ext := range tempExts {
		if strings.HasSuffix(lower, ext) {
			return false
		}
	}
	for _, ext := range c.IgnoreExts {
		if strings.HasSuffix(lower, ext) {
			return false
		}
	}
	ok, err := filepath.Match(c.Pattern, name)
	return err == nil && ok
}

// isDoneFile reports whether name is a done-file under c.
func (c Config) isDoneFile(name string) bool {
	return len(name) > len(c.DoneSuffix) && strings.HasSuffix(name, c.DoneSuffix)
}

// dataName returns the name of the file a done-file called name marks.
func (c Config) dataName(name string) string {
	return strings.TrimSuffix(name, c.DoneSuffix)
}
