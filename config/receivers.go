package config

// Receivers configures the network receivers (LPD, IPP): the queues they
// accept jobs on and each protocol's listener.
type Receivers struct {
	// Queues map a queue name (an LPD queue, an IPP printer path
	// /ipp/print/NAME) to a workflow and the job's defaults. With none
	// listed, every workflow is a queue of its own name.
	Queues []ReceiverQueue `yaml:"queues"`
	// DefaultQueue takes jobs sent to an unknown or empty queue name;
	// empty refuses them.
	DefaultQueue string `yaml:"default_queue"`
	// IPP is the IPP server.
	IPP IPPReceiver `yaml:"ipp"`
}

// ReceiverQueue is one queue of the network receivers.
type ReceiverQueue struct {
	Name     string            `yaml:"name"`
	Workflow string            `yaml:"workflow"`
	JobName  string            `yaml:"job_name"` // job name when the sender gives none
	User     string            `yaml:"user"`     // user when the sender gives none
	Metadata map[string]string `yaml:"metadata"` // job metadata every job of the queue gets
	Hold     bool              `yaml:"hold"`     // keep the queue's jobs held until released
}

// ReceiverQueues returns the configured queues or, with none listed, one
// per workflow named after it.
func (c *Config) ReceiverQueues() []ReceiverQueue {
	if len(c.Receivers.Queues) > 0 {
		return c.Receivers.Queues
	}
	qs := make([]ReceiverQueue, 0, len(c.Workflows))
	for _, w := range c.Workflows {
		qs = append(qs, ReceiverQueue{Name: w.Name, Workflow: w.Name})
	}
	return qs
}
