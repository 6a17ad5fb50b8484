package ipp

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
)

// jobStates maps omsd's job states (IPP's keywords) to IPP's job-state
// enum.
var jobStates = map[string]int{"pending": 3, "held": 4, "processing": 5, "stopped": 6,
	"canceled": 7, "aborted": 8, "completed": 9}

// jobTemplate lists the job template attributes (the job-template group).
var jobTemplate = map[string]bool{"copies": true, "finishings": true, "job-hold-until": true,
	"job-priority": true, "job-sheets": true, "media": true, "multiple-document-handling": true,
	"number-up": true, "orientation-requested": true, "page-ranges": true, "print-quality": true,
	"printer-resolution": true, "sides": true}

// jobGroupOf names the group a job attribute belongs to.
func jobGroupOf(name string) string {
	if jobTemplate[name] {
		return "job-template"
	}
	return "job-description"
}

// jobURI is the URI of job id on the printer req addresses.
func (s *Server) jobURI(req *request, id int64) string {
	return fmt.Sprintf("%s/%d", s.printerURI(req), id)
}

// jobAttributes describes an omsd job: its state and reasons are omsd's.
func (s *Server) jobAttributes(req *request, j api.Job) goipp.Attributes {
	var a attrs
	a.ints("job-id", goipp.TagInteger, int(j.ID))
	a.str("job-uri", goipp.TagURI, s.jobURI(req, j.ID))
	a.str("job-printer-uri", goipp.TagURI, s.printerURI(req))
	a.str("job-more-info", goipp.TagURI, s.moreInfoURI(req))
	a.str("job-name", goipp.TagName, firstOf(j.Name, "ipp-job"))
	a.str("job-originating-user-name", goipp.TagName, firstOf(j.User, "anonymous"))
	state, ok := jobStates[j.State]
	if !ok {
		state = 3
	}
	a.ints("job-state", goipp.TagEnum, state)
	a.str("job-state-reasons", goipp.TagKeyword, reasons(j.StateReasons)...)
	if j.Message != "" {
		a.str("job-state-message", goipp.TagText, clip(j.Message, 255))
	}
	a.ints("copies", goipp.TagInteger, max(j.Copies, 1))
	a.ints("number-of-documents", goipp.TagInteger, 1)
	a.str("output-device-assigned", goipp.TagName, clip(firstOf(j.Printer, "none"), 127))
	a.ints("number-of-intervening-jobs", goipp.TagInteger, 0)
	a.ints("job-printer-up-time", goipp.TagInteger, upTime(time.Now()))
	a.ints("time-at-creation", goipp.TagInteger, upTime(j.Created))
	a.add("date-time-at-creation", goipp.TagDateTime, goipp.Time{Time: j.Created})
	if state >= 5 {
		a.ints("time-at-processing", goipp.TagInteger, upTime(j.Updated))
	} else {
		a.noValue("time-at-processing")
	}
	if state >= 7 {
		a.ints("time-at-completed", goipp.TagInteger, upTime(j.Updated))
		a.add("date-time-at-completed", goipp.TagDateTime, goipp.Time{Time: j.Updated})
	} else {
		a.noValue("time-at-completed")
		a.noValue("date-time-at-completed")
	}
	a.ints("job-media-sheets", goipp.TagInteger, j.Sheets)
	a.ints("job-media-sheets-completed", goipp.TagInteger, j.SheetsSent)
	a.ints("job-impressions", goipp.TagInteger, j.Pages)
	return a.list
}

// createdAttributes describes a created job still without its omsd job.
func (s *Server) createdAttributes(req *request, c created) goipp.Attributes {
	var a attrs
	a.ints("job-id", goipp.TagInteger, int(c.id))
	a.str("job-uri", goipp.TagURI, s.jobURI(req, int64(c.id)))
	a.str("job-printer-uri", goipp.TagURI, s.printerURI(req))
	a.str("job-name", goipp.TagName, c.name)
	a.str("job-originating-user-name", goipp.TagName, c.user)
	a.ints("job-state", goipp.TagEnum, int(c.state))
	a.str("job-state-reasons", goipp.TagKeyword, c.reason)
	a.ints("number-of-documents", goipp.TagInteger, 0)
	a.ints("number-of-intervening-jobs", goipp.TagInteger, 0)
	a.ints("job-printer-up-time", goipp.TagInteger, upTime(time.Now()))
	a.ints("time-at-creation", goipp.TagInteger, upTime(c.at))
	a.add("date-time-at-creation", goipp.TagDateTime, goipp.Time{Time: c.at})
	return a.list
}

// upTime is a time as printer-up-time counts: seconds since the epoch
// (as CUPS counts it), so that times survive a restart.
func upTime(t time.Time) int {
	if t.IsZero() {
		return 0
	}
	return int(t.Unix())
}

// reasons are omsd's state reasons as IPP keywords; "none" when there
// are none.
func reasons(rs []string) []string {
	var out []string
	for _, r := range rs {
		if k := keyword(r); k != "" {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// keyword makes s a valid IPP keyword: lower case letters, digits, - _ .
func keyword(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	k := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
	return clip(strings.TrimLeft(k, "-_.0123456789"), 255)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// fnv128 is FNV-1a over s, 128 bits.
func fnv128(s string) []byte {
	h := fnv.New128a()
	h.Write([]byte(s))
	return h.Sum(nil)
}
