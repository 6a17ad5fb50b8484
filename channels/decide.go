package channels

import (
	"slices"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// Route returns how the pieces of workflow wf choose their channel: the
// metadata field first, then the preference file by customer id, then
// the first rule that matches, then the workflow's default. A channel the workflow cannot deliver (e-mail
// without channels.email, portal without channels.portal, e-mail without
// an address) is print. nil when the workflow has no channels, or j is a
// fallback job (its pieces failed digital delivery: they are printed,
// however the workflow finds them).
func (s *Service) Route(j spool.Job, wf config.Workflow) (pipeline.Route, error) {
	if isFallback(j) {
		return nil, nil
	}
	return route(&s.prefs, wf)
}

// Route is Service.Route for a one-shot run (omsd process --dry-run): the
// preference file is read once.
func Route(wf config.Workflow) (pipeline.Route, error) {
	return route(&preferences{}, wf)
}

func route(cache *preferences, wf config.Workflow) (pipeline.Route, error) {
	ch := wf.Channels
	if ch == nil {
		return nil, nil
	}
	if ch.ForcePrint {
		return func(mailpiece.Piece) string { return config.PrintChannel }, nil
	}
	var prefs map[string]Preference
	if ch.Preferences != "" {
		var err error
		if prefs, err = cache.lookup(ch.Preferences); err != nil {
			return nil, err
		}
	}
	return func(p mailpiece.Piece) string {
		return decide(ch, prefs, p)
	}, nil
}

func decide(ch *config.WorkflowChannels, prefs map[string]Preference, p mailpiece.Piece) string {
	c := strings.ToLower(strings.TrimSpace(p.Meta.Get(ch.Field)))
	pref, hasPref := prefs[p.Meta.Get(ch.CustomerField)]
	if !slices.Contains(config.Channels, c) {
		c = ch.Default
		if hasPref {
			c = pref.Channel
		} else if i := slices.IndexFunc(ch.Rules, func(r config.ChannelRule) bool { return r.Matches(p.Meta) }); i >= 0 {
			c = ch.Rules[i].Channel
		}
	}
	switch c {
	case config.EmailChannel, config.EmailPrintChannel:
		if ch.Email == nil || recipient(ch, pref, p) == "" {
			return config.PrintChannel
		}
	case config.PortalChannel:
		if ch.Portal == nil {
			return config.PrintChannel
		}
	}
	return c
}

// recipient is the address piece p is e-mailed to: the preference's, or
// the piece's to_field.
func recipient(ch *config.WorkflowChannels, pref Preference, p mailpiece.Piece) string {
	if pref.Email != "" {
		return pref.Email
	}
	if ch.Email == nil {
		return ""
	}
	return strings.TrimSpace(p.Meta.Get(ch.Email.ToField))
}
