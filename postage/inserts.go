package postage

import "github.com/omsd/omsd/meta"

// InsertsFor names the inserts an envelope holding pieces with these
// metadata takes, in configuration order: those for every envelope, and
// those whose field one of the pieces has with the insert's value. It is
// how the planner chose the envelope's inserts.
func (c *Config) InsertsFor(metas []meta.Fields) []string {
	var names []string
	for _, in := range c.Inserts {
		for _, m := range metas {
			if in.Field == "" || m.Get(in.Field) == in.Value {
				names = append(names, in.Name)
				break
			}
		}
	}
	return names
}
