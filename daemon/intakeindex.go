package daemon

import "sync"

// intakeIndex maps the hot-folder path of each job still incoming to the
// job, so that a file offered again continues its job instead of making a
// new one. Its zero value is ready to use.
type intakeIndex struct {
	mu    sync.Mutex
	paths map[string]int64
}

func (x *intakeIndex) add(path string, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.paths == nil {
		x.paths = map[string]int64{}
	}
	x.paths[path] = id
}

func (x *intakeIndex) lookup(path string) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.paths[path]
	return id, ok
}

// drop forgets job id.
func (x *intakeIndex) drop(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for p, v := range x.paths {
		if v == id {
			delete(x.paths, p)
		}
	}
}
