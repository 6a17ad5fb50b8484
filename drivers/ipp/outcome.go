package ipp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// StatusError is an IPP answer whose status code is not successful.
type StatusError struct {
	Op      string // IPP operation, e.g. Print-Job
	Code    int16  // IPP status-code
	Message string // status-message, if the printer sent one
}

func (e *StatusError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("ipp: %s: %s", e.Op, StatusName(e.Code))
	}
	return fmt.Sprintf("ipp: %s: %s: %s", e.Op, StatusName(e.Code), e.Message)
}

// statusNames are the keywords of the status codes the driver acts on.
var statusNames = map[int16]string{
	goipp.StatusOk:                              "successful-ok",
	goipp.StatusOkIgnoredOrSubstituted:          "successful-ok-ignored-or-substituted-attributes",
	goipp.StatusOkConflicting:                   "successful-ok-conflicting-attributes",
	goipp.StatusErrorBadRequest:                 "client-error-bad-request",
	goipp.StatusErrorForbidden:                  "client-error-forbidden",
	goipp.StatusErrorNotAuthenticated:           "client-error-not-authenticated",
	goipp.StatusErrorNotAuthorized:              "client-error-not-authorized",
	goipp.StatusErrorNotPossible:                "client-error-not-possible",
	goipp.StatusErrorTimeout:                    "client-error-timeout",
	goipp.StatusErrorNotFound:                   "client-error-not-found",
	goipp.StatusErrorGone:                       "client-error-gone",
	goipp.StatusErrorRequestEntity:              "client-error-request-entity-too-large",
	goipp.StatusErrorDocumentFormatNotSupported: "client-error-document-format-not-supported",
	goipp.StatusErrorAttributesOrValues:         "client-error-attributes-or-values-not-supported",
	goipp.StatusErrorDocumentFormatError:        "client-error-document-format-error",
	goipp.StatusErrorInternal:                   "server-error-internal-error",
	goipp.StatusErrorOperationNotSupported:      "server-error-operation-not-supported",
	goipp.StatusErrorServiceUnavailable:         "server-error-service-unavailable",
	goipp.StatusErrorVersionNotSupported:        "server-error-version-not-supported",
	goipp.StatusErrorDevice:                     "server-error-device-error",
	goipp.StatusErrorTemporary:                  "server-error-temporary-error",
	goipp.StatusErrorNotAcceptingJobs:           "server-error-not-accepting-jobs",
	goipp.StatusErrorBusy:                       "server-error-busy",
	goipp.StatusErrorJobCanceled:                "server-error-job-canceled",
	goipp.StatusErrorTooManyJobs:                "server-error-too-many-jobs",
}

// StatusName returns the keyword of an IPP status code, or its hex value.
func StatusName(code int16) string {
	if name, ok := statusNames[code]; ok {
		return name
	}
	return fmt.Sprintf("status 0x%04x", uint16(code))
}

// successful reports whether code is one of the successful-ok* codes.
func successful(code int16) bool { return code >= 0 && code < 0x0100 }

// OutcomeForStatus maps the IPP status code of a Print-Job answer to a
// driver outcome: the document's own problems fail the job, a busy or
// paused printer retries it later, refused permission holds it.
func OutcomeForStatus(code int16) drivers.Outcome {
	if successful(code) {
		return drivers.OK
	}
	switch code {
	case goipp.StatusErrorBusy, goipp.StatusErrorNotAcceptingJobs, goipp.StatusErrorTemporary,
		goipp.StatusErrorServiceUnavailable, goipp.StatusErrorTooManyJobs:
		return drivers.Retry
	case goipp.StatusErrorNotAuthorized, goipp.StatusErrorForbidden, goipp.StatusErrorNotAuthenticated:
		return drivers.Hold
	default: // document-format-not-supported, bad-request, attributes-or-values and the rest
		return drivers.Failed
	}
}

// outcomeForHTTP maps an HTTP status code other than 200 to an outcome.
func outcomeForHTTP(code int) drivers.Outcome {
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return drivers.Hold
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return drivers.Retry
	default:
		return drivers.Failed
	}
}

// outcomeForError chooses the outcome of a failed request.
func outcomeForError(ctx context.Context, err error) drivers.Outcome {
	var serr *StatusError
	var herr *HTTPError
	switch {
	case ctx.Err() != nil:
		return drivers.Cancel
	case errors.As(err, &serr):
		return OutcomeForStatus(serr.Code)
	case errors.As(err, &herr):
		return outcomeForHTTP(herr.Code)
	case errors.Is(err, ErrUntrustedCert):
		return drivers.StopQueue
	default: // unreachable, malformed answers
		return drivers.Retry
	}
}

// checkStatus returns a *StatusError unless resp is successful.
func checkStatus(op string, resp *goipp.Response) error {
	if successful(resp.StatusCode) {
		return nil
	}
	msg, _ := firstString(resp.OperationAttributes, goipp.AttributeStatusMessage)
	return &StatusError{Op: op, Code: resp.StatusCode, Message: msg}
}
